package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

/**
 * linux.resources.devices enforced by the eBPF device program jrun attaches to the container's
 * cgroup. The container gets CAP_MKNOD, so only the program stands between it and a device.
 * (c 10:200 is /dev/net/tun: opening it does nothing on its own.)
 */
class DeviceRulesTest extends ContainerTestSupport {

    private static final String PROBE = "mknod /dev/probe c 10 200 && echo mknod=ok || echo mknod=denied;"
            + " if (exec 3<>/dev/probe) 2>/dev/null; then echo open=ok; else echo open=denied; fi;"
            + " if echo x > /dev/null; then echo null=ok; fi";

    private static Bundle withMknod(Bundle b) {
        ObjectNode caps = b.process().putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted"}) {
            ArrayNode a = caps.putArray(set);
            a.add("CAP_MKNOD");
            a.add("CAP_KILL");
        }
        return b;
    }

    @Test
    void aDeviceTheRulesDenyCannotBeOpenedEvenAfterMknod() {
        Bundle b = withMknod(newBundle()); // runc's default rules: deny all, then the defaults
        String out = shOut(b, PROBE);
        assertField(out, "mknod", "ok");   // "m" is allowed for every device, as in runc
        assertField(out, "open", "denied");
        assertField(out, "null", "ok");    // the default devices stay usable
    }

    @Test
    void aDeviceTheRulesAllowCanBeOpened() {
        Bundle b = withMknod(newBundle());
        b.linux().withObject("/resources").withArray("/devices").addObject()
                .put("allow", true).put("type", "c").put("major", 10).put("minor", 200).put("access", "rw");
        String out = shOut(b, PROBE);
        assertField(out, "open", "ok");
    }

    @Test
    void aLaterDenyOverridesAnEarlierAllow() {
        Bundle b = withMknod(newBundle());
        ArrayNode rules = b.linux().withObject("/resources").withArray("/devices");
        rules.addObject().put("allow", true).put("type", "c").put("major", 10).put("minor", 200).put("access", "rw");
        rules.addObject().put("allow", false).put("type", "c").put("major", 10).put("minor", 200).put("access", "w");
        String out = shOut(b, PROBE);
        assertField(out, "open", "denied"); // read-write asks for w, which the later rule denies
    }

    @Test
    void allowAllRulesLeaveEveryDeviceUsable() {
        Bundle b = withMknod(newBundle());
        ArrayNode rules = b.linux().withObject("/resources").putArray("devices");
        rules.addObject().put("allow", true).put("access", "rwm");
        String out = shOut(b, PROBE);
        assertField(out, "open", "ok");
    }
}
