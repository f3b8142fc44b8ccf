package dev.jrun.runtime.json;

import dev.jrun.runtime.init.InitConfig;
import dev.jrun.runtime.spec.ConfigLoader;
import dev.jrun.runtime.spec.Rlimit;
import dev.jrun.runtime.state.ContainerView;
import dev.jrun.runtime.state.Status;
import dev.jrun.runtime.state.StoredState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class JsonWriterTest {

    private static StoredState richState() {
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("org.example/q", "say \"hi\"\\now");
        ann.put("multi", "line1\nline2\ttab\u0001ctl\u00e9\ud83d\ude00");
        return new StoredState("ctr-1", 4242, 123456789012L, Status.RUNNING, "/bundles/b 1", "/bundles/b 1/rootfs",
                "2024-05-06T07:08:09.123456789Z", "root", ann, "/sys/fs/cgroup", "/jrun/ctr-1", true,
                "{\n  \"ociVersion\": \"1.3.0\",\n  \"hostname\": \"h\\\\x\"\n}");
    }

    @Test
    void storedStateRoundTripsThroughMiniJsonAndBinder() {
        StoredState s = richState();
        assertEquals(s, RecordBinder.bind(MiniJson.parse(JsonWriter.compact(s)), StoredState.class));
        assertEquals(s, RecordBinder.bind(MiniJson.parse(JsonWriter.indented(s, "  ")), StoredState.class));
    }

    @Test
    void storedStateRoundTripsThroughJackson() throws Exception {
        StoredState s = richState();
        assertEquals(s, ConfigLoader.mapper().readValue(JsonWriter.compact(s), StoredState.class));
    }

    @Test
    void initConfigRoundTrips() throws Exception {
        InitConfig c = new InitConfig("id", "/bundle", "/bundle/rootfs", true, "{\"a\": [1, \"\\\"\"]}",
                "/sys/fs/cgroup/x/cgroup.procs", "/x", false, "/run/jrun/id/exec.fifo", 3, "{\"status\":\"creating\"}");
        String json = JsonWriter.compact(c);
        assertEquals(c, RecordBinder.bind(MiniJson.parse(json), InitConfig.class));
        assertEquals(c, ConfigLoader.mapper().readValue(json, InitConfig.class));
    }

    @Test
    void nullComponentsAndEmptyMapsAreLeftOut() {
        StoredState s = new StoredState("c", 0, 0, Status.CREATED, null, null, null, null, Map.of(), null, null,
                false, null);
        assertEquals("{\"id\":\"c\",\"pid\":0,\"initStartTime\":0,\"phase\":\"CREATED\",\"cgroupCreated\":false}",
                JsonWriter.compact(s));
    }

    @Test
    void emptyListsAndMapsOutsideRecordsAreWritten() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("l", List.of());
        m.put("m", Map.of());
        m.put("n", null);
        assertEquals("{\"l\":[],\"m\":{},\"n\":null}", JsonWriter.compact(m));
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("\"q\\\"b\\\\n\\nr\\rt\\tc\\u0001\\u001f\u00e9/\"",
                JsonWriter.compact("q\"b\\n\nr\rt\tc\u0001\u001f\u00e9/"));
        String tricky = "\u0000\u0007\b\f\u007f\"\\";
        assertEquals(tricky, MiniJson.parse(JsonWriter.compact(tricky)));
    }

    @Test
    void numbersBooleansAndNestedLists() {
        List<Object> l = new ArrayList<>();
        l.add(1);
        l.add(-2L);
        l.add(true);
        l.add(null);
        l.add(List.of("x"));
        assertEquals("[1,-2,true,null,[\"x\"]]", JsonWriter.compact(l));
    }

    @Test
    void rlimitValuesAreWrittenUnsigned() {
        assertEquals("{\"type\":\"RLIMIT_NOFILE\",\"hard\":18446744073709551615,\"soft\":9223372036854775808}",
                JsonWriter.compact(new Rlimit("RLIMIT_NOFILE", Rlimit.INFINITY, Long.MIN_VALUE)));
    }

    private static ContainerView view(Map<String, String> annotations, String bundle) {
        return new ContainerView("1.3.0", "c1", 42, "running", bundle, bundle + "/rootfs",
                "2024-01-02T03:04:05.5Z", annotations, "");
    }

    /** What Go's json.MarshalIndent(v, "", "  ") prints for runc's state of the same container. */
    @Test
    void indentedMatchesGoMarshalIndent() {
        String expected = """
                {
                  "ociVersion": "1.3.0",
                  "id": "c1",
                  "pid": 42,
                  "status": "running",
                  "bundle": "/b",
                  "rootfs": "/b/rootfs",
                  "created": "2024-01-02T03:04:05.5Z",
                  "annotations": {
                    "k": "v",
                    "k2": "v2"
                  },
                  "owner": ""
                }""";
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("k", "v");
        ann.put("k2", "v2");
        assertEquals(expected, JsonWriter.indented(view(ann, "/b"), "  "));
    }

    @Test
    void indentedLeavesOutEmptyAnnotationsAndWritesListsOnePerLine() {
        String out = JsonWriter.indented(view(Map.of(), "/b"), "  ");
        assertFalse(out.contains("annotations"), out);
        assertFalse(out.endsWith("\n"), "no trailing newline");
        assertEquals("[\n  1,\n  [\n    \"a\"\n  ],\n  []\n]", JsonWriter.indented(List.of(1, List.of("a"), List.of()), "  "));
        assertEquals("{}", JsonWriter.indented(Map.of(), "  "));
    }

    /** Go's encoder escapes &, < and > (json.Marshal's HTML escaping, also in MarshalIndent). */
    @Test
    void indentedEscapesHtmlCharactersLikeGo() {
        String out = JsonWriter.indented(view(Map.of(), "/b&<x>"), "  ");
        assertEquals("  \"bundle\": \"/b\\u0026\\u003cx\\u003e\",", out.lines().filter(l -> l.contains("bundle"))
                .findFirst().orElseThrow());
    }
}
