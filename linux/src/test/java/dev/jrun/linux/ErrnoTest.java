package dev.jrun.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrnoTest {

    @Test
    void namesAndDescriptionsOfCommonErrnos() {
        assertEquals("ENOENT", Errno.name(2));
        assertEquals("No such file or directory", Errno.describe(2));
        assertEquals("EPERM", Errno.name(1));
        assertEquals("ELOOP", Errno.name(40));
        assertEquals("EXDEV", Errno.name(18));
        assertEquals("Operation not supported", Errno.describe(95));
    }

    @Test
    void unknownErrnoIsNamedByNumber() {
        assertEquals("errno 4242", Errno.name(4242));
        assertEquals("unknown error", Errno.describe(4242));
    }

    /** Every constant's name is its field name and its text is glibc's strerror(3). */
    @Test
    void everyConstantMatchesItsFieldNameAndGlibcStrerror() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle strerror = linker.downcallHandle(linker.defaultLookup().find("strerror").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        int checked = 0;
        for (Field f : Errno.class.getFields()) {
            if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers())) continue;
            int n = f.getInt(null);
            assertEquals(f.getName(), Errno.name(n), "name of " + n);
            MemorySegment text = ((MemorySegment) strerror.invokeExact(n)).reinterpret(256);
            assertEquals(text.getString(0), Errno.describe(n), "describe(" + f.getName() + ")");
            checked++;
        }
        assertTrue(checked >= 40, "expected the errno table, saw " + checked + " constants");
    }
}
