package dev.jrun.runtime.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultSpecTest {

    @Test
    void goldenFileIsRuncOutput() {
        String golden = TestConfigs.runcDefault();
        assertTrue(golden.startsWith("{\n\t\"ociVersion\": \"1.0.2-dev\",\n\t\"process\": {\n"), golden);
        assertTrue(golden.endsWith("\n\t}\n}"), "runc writes no trailing newline");
    }

    @Test
    void jsonIsRuncDefaultByteForByteExceptVersion() {
        String expected = TestConfigs.runcDefault().replace("\"ociVersion\": \"1.0.2-dev\"", "\"ociVersion\": \"1.3.0\"");
        assertEquals(expected, DefaultSpec.json());
    }

    @Test
    void variantChangesOnlyTerminalAndArgs() {
        String json = DefaultSpec.json(false, List.of("/bin/echo", "hi"));
        Spec spec = ConfigLoader.parse(json, "config.json");
        assertFalse(spec.process().terminalEnabled());
        assertEquals(List.of("/bin/echo", "hi"), spec.process().args());
        Spec base = DefaultSpec.spec();
        assertEquals(base.mounts(), spec.mounts());
        assertEquals(base.linux(), spec.linux());
        assertEquals(base.process().env(), spec.process().env());
        assertTrue(json.contains("\t\t\"args\": [\n\t\t\t\"/bin/echo\",\n\t\t\t\"hi\"\n\t\t],"), json);
    }

    @Test
    void parsedDefaultEqualsModel() {
        assertEquals(DefaultSpec.spec(), ConfigLoader.parse(DefaultSpec.json(), "config.json"));
        assertEquals("1.3.0", DefaultSpec.spec().ociVersion());
    }

    @Test
    void prettyPrinterWritesEmptyContainersLikeGo() {
        Spec spec = new Spec("1.3.0", null, null, null, null, List.of(), null, java.util.Map.of(), null);
        assertEquals("{\n\t\"ociVersion\": \"1.3.0\",\n\t\"mounts\": [],\n\t\"annotations\": {}\n}",
                ConfigLoader.toPrettyJson(spec));
    }
}
