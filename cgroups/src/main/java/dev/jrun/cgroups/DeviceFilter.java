package dev.jrun.cgroups;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * cgroup v2 has no devices.allow/deny files: device access is decided by an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup, as runc and crun do. This builds that
 * program from the rules: they are checked from the last to the first and the first that
 * matches decides (a later rule overrides an earlier one, the OCI order); no match denies.
 *
 * <p>An allow rule matches when the request's type and numbers match and every requested access
 * is in the rule; a deny rule matches when any requested access is in it.
 */
public final class DeviceFilter {
    private DeviceFilter() {}

    // eBPF opcodes used (see linux/bpf.h): loads, 32-bit ALU, jumps, exit.
    private static final int LDX_W = 0x61, MOV32_X = 0xbc, AND32_K = 0x54, RSH32_K = 0x74, MOV64_K = 0xb7,
            JNE_K = 0x55, JEQ_K = 0x15, JSET_K = 0x45, EXIT = 0x95;
    private static final int TYPE_BLOCK = 1, TYPE_CHAR = 2;

    /** One instruction: 8 bytes, little-endian. */
    private record Insn(int op, int dst, int src, int off, int imm) {}

    /** The program as raw bytes (8 per instruction), ready for bpf(BPF_PROG_LOAD). */
    public static byte[] build(List<DeviceRule> rules) {
        List<Insn> p = new ArrayList<>();
        // struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }, in r1
        p.add(new Insn(LDX_W, 2, 1, 0, 0));     // r2 = access_type
        p.add(new Insn(AND32_K, 2, 0, 0, 0xffff)); // r2 = type
        p.add(new Insn(LDX_W, 3, 1, 0, 0));     // r3 = access_type
        p.add(new Insn(RSH32_K, 3, 0, 0, 16));  // r3 = access
        p.add(new Insn(LDX_W, 4, 1, 4, 0));     // r4 = major
        p.add(new Insn(LDX_W, 5, 1, 8, 0));     // r5 = minor
        boolean decided = false;
        for (int i = rules.size() - 1; i >= 0 && !decided; i--) {
            List<Insn> b = block(rules.get(i));
            p.addAll(b);
            // A rule for every device and access always decides: the verifier refuses the
            // unreachable code that would follow it.
            decided = b.size() == 2;
        }
        if (!decided) {
            p.add(new Insn(MOV64_K, 0, 0, 0, 0)); // no rule matched: deny
            p.add(new Insn(EXIT, 0, 0, 0, 0));
        }
        ByteBuffer b = ByteBuffer.allocate(p.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (Insn in : p) {
            b.put((byte) in.op());
            b.put((byte) ((in.src() << 4) | in.dst()));
            b.putShort((short) in.off());
            b.putInt(in.imm());
        }
        return b.array();
    }

    /** The checks of one rule; each failed check jumps past the block's end. */
    private static List<Insn> block(DeviceRule r) {
        List<Insn> checks = new ArrayList<>();
        if (r.type() != 'a') checks.add(new Insn(JNE_K, 2, 0, 0, r.type() == 'c' ? TYPE_CHAR : TYPE_BLOCK));
        int bits = r.accessBits();
        if (r.allow()) {
            if (bits != 7) checks.add(new Insn(JSET_K, 3, 0, 0, ~bits & 7)); // asks for more than allowed
        } else if (bits != 7) {
            checks.add(new Insn(MOV32_X, 1, 3, 0, 0));
            checks.add(new Insn(AND32_K, 1, 0, 0, bits));
            checks.add(new Insn(JEQ_K, 1, 0, 0, 0));                         // asks for none of these
        }
        if (r.major() >= 0) checks.add(new Insn(JNE_K, 4, 0, 0, (int) r.major()));
        if (r.minor() >= 0) checks.add(new Insn(JNE_K, 5, 0, 0, (int) r.minor()));
        List<Insn> out = new ArrayList<>();
        int total = checks.size() + 2; // + the verdict: mov r0, exit
        for (int k = 0; k < checks.size(); k++) {
            Insn c = checks.get(k);
            boolean jump = c.op() == JNE_K || c.op() == JEQ_K || c.op() == JSET_K;
            // a jump's offset counts the instructions after it up to the end of this block
            out.add(jump ? new Insn(c.op(), c.dst(), c.src(), total - k - 1, c.imm()) : c);
        }
        out.add(new Insn(MOV64_K, 0, 0, 0, r.allow() ? 1 : 0));
        out.add(new Insn(EXIT, 0, 0, 0, 0));
        return out;
    }
}
