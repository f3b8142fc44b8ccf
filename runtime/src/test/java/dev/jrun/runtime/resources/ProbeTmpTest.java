package dev.jrun.runtime.resources;
import dev.jrun.runtime.spec.ConfigLoader;
import org.junit.jupiter.api.Test;
class ProbeTmpTest {
    void p(String res) {
        String j = "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"resources\":" + res + "}}";
        try { System.out.println("PROBE " + res + " => " + ResourceMapper.map(ConfigLoader.parse(j, "config.json").linux().resources())); }
        catch (Exception e) { System.out.println("PROBE " + res + " => " + e); }
    }
    @Test void probe() {
        p("{\"unified\":{\"memory.high\":null}}");
        p("{\"unified\":{\"memory.high\":5}}");
        p("{\"unified\":{\"memory.high\\n\":\"1\"}}");
        p("{\"unified\":{\"memory.high\\\"x\":\"1\"}}");
        p("{\"hugepageLimits\":[{\"pageSize\":\"2MB\"}]}");
        p("{\"blockIO\":{\"weightDevice\":[{\"major\":8,\"minor\":0}]}}");
        p("{\"cpu\":{\"quota\":0}}");
        p("{\"cpu\":{\"quota\":0,\"period\":0}}");
        p("{\"pids\":{\"limit\":-5}}");
        p("{\"memory\":{\"kernel\":1048576,\"kernelTCP\":1}}");
        p("{\"memory\":{\"limit\":-1}}");
        p("{\"cpu\":{\"cpus\":\"0-3:2/4\"}}");
        p("{\"memory\":{\"limit\":104857600,\"swap\":-5}}");
    }
}
