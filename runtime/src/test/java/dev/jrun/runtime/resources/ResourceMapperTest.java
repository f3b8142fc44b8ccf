package dev.jrun.runtime.resources;

import dev.jrun.cgroups.CgroupSetting;
import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.spec.ConfigLoader;
import dev.jrun.runtime.spec.Resources;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * linux.resources to cgroup v2 writes, checked against runc's libcontainer/cgroups formulas
 * (ConvertMemorySwapToCgroupV2Value, ConvertCPUSharesToCgroupV2Value, ConvertBlkIOToIOWeightValue).
 * Every expected number is worked out here, in the test, with the arithmetic written out.
 */
class ResourceMapperTest {

    private static final String R = "$.linux.resources";
    private static final long MB = 1024L * 1024L;

    /** A minimal config.json whose linux.resources is {@code resources}. */
    private static String config(String resources) {
        return """
                {
                  "ociVersion": "1.3.0",
                  "root": {"path": "rootfs"},
                  "process": {"terminal": false, "cwd": "/", "args": ["sh"], "user": {"uid": 0, "gid": 0}},
                  "linux": {
                    "namespaces": [{"type": "pid"}, {"type": "mount"}],
                    "resources": %s
                  }
                }
                """.formatted(resources);
    }

    private static Resources resources(String resources) {
        return ConfigLoader.parse(config(resources), "config.json").linux().resources();
    }

    private static List<CgroupSetting> map(String resources) {
        return ResourceMapper.map(resources(resources));
    }

    /** Maps and expects exactly one write. */
    private static CgroupSetting only(String resources) {
        List<CgroupSetting> out = map(resources);
        assertEquals(1, out.size(), () -> "expected one setting for " + resources + ", got " + out);
        return out.get(0);
    }

    /** Maps and expects an error whose message names {@code path} and says {@code why}. */
    private static String fails(String resources, String path, String why) {
        JrunException e = assertThrows(JrunException.class, () -> map(resources),
                () -> "expected an error for " + resources);
        String m = e.getMessage();
        assertTrue(m.contains(path), () -> "message should name " + path + ": " + m);
        assertTrue(m.contains(why), () -> "message should say \"" + why + "\": " + m);
        assertTrue(m.startsWith("config.json"), () -> "message should name the file: " + m);
        return m;
    }

    private static void assertSetting(String controller, String file, String value, String origin, CgroupSetting s) {
        assertEquals(new CgroupSetting(controller, file, value, origin), s);
    }

    // runc's formulas, written out independently of the class under test.

    /** ConvertCPUSharesToCgroupV2Value: 1 + ((shares - 2) * 9999) / 262142, integer division. */
    private static long runcCpuWeight(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** ConvertBlkIOToIOWeightValue: 1 + (weight - 10) * 9999 / 990, integer division. */
    private static long runcIoWeight(long blkioWeight) {
        return 1 + (blkioWeight - 10) * 9999 / 990;
    }

    @Nested
    class Empty {
        @Test
        void noResourcesMapsToNothing() {
            assertEquals(List.of(), ResourceMapper.map(null));
            assertEquals(List.of(), map("{}"));
        }

        @Test
        void deviceRulesAreNotCgroupFiles() {
            assertEquals(List.of(), map("""
                    {"devices": [{"allow": false, "access": "rwm"}]}"""));
        }

        @Test
        void emptySectionsMapToNothing() {
            assertEquals(List.of(), map("""
                    {"memory": {}, "cpu": {}, "pids": {}, "blockIO": {}, "hugepageLimits": [], "network": {},
                     "unified": {}}"""));
        }
    }

    @Nested
    class MemoryLimits {
        @Test
        void limitIsMemoryMax() {
            assertSetting("memory", "memory.max", "8388608", R + ".memory.limit", only("""
                    {"memory": {"limit": 8388608}}"""));
        }

        @Test
        void limitMinusOneIsMax() {
            assertSetting("memory", "memory.max", "max", R + ".memory.limit", only("""
                    {"memory": {"limit": -1}}"""));
        }

        @Test
        void limitZeroIsUnset() {
            assertEquals(List.of(), map("""
                    {"memory": {"limit": 0}}"""));
        }

        @Test
        void negativeLimitOtherThanMinusOneIsAnError() {
            fails("""
                    {"memory": {"limit": -5}}""", R + ".memory.limit", "-5");
        }

        @Test
        void reservationIsMemoryLow() {
            assertSetting("memory", "memory.low", "4194304", R + ".memory.reservation", only("""
                    {"memory": {"reservation": 4194304}}"""));
            assertSetting("memory", "memory.low", "max", R + ".memory.reservation", only("""
                    {"memory": {"reservation": -1}}"""));
            assertEquals(List.of(), map("""
                    {"memory": {"reservation": 0}}"""));
        }

        @Test
        void negativeReservationIsAnError() {
            fails("""
                    {"memory": {"reservation": -2}}""", R + ".memory.reservation", "-2");
        }

        @Test
        void swapIsMemoryPlusSwapInV1AndSwapAloneInV2() {
            // limit 100M, memory+swap 200M: v2's memory.swap.max = 200M - 100M = 100M
            long limit = 100 * MB;       // 104857600
            long swap = 200 * MB;        // 209715200
            List<CgroupSetting> out = map("""
                    {"memory": {"limit": 104857600, "swap": 209715200}}""");
            assertEquals(List.of(
                    new CgroupSetting("memory", "memory.max", "104857600", R + ".memory.limit"),
                    new CgroupSetting("memory", "memory.swap.max", Long.toString(swap - limit), R + ".memory.swap")), out);
            assertEquals("104857600", out.get(1).value());
        }

        @Test
        void swapEqualToLimitDisablesSwap() {
            // runc: swap == memory gives 0, written as "0" (memory and memorySwap the same: no swap)
            List<CgroupSetting> out = map("""
                    {"memory": {"limit": 104857600, "swap": 104857600}}""");
            assertEquals(new CgroupSetting("memory", "memory.swap.max", "0", R + ".memory.swap"), out.get(1));
        }

        @Test
        void unlimitedMemoryWithSwapZeroMeansUnlimitedSwap() {
            List<CgroupSetting> out = map("""
                    {"memory": {"limit": -1, "swap": 0}}""");
            assertEquals(List.of(
                    new CgroupSetting("memory", "memory.max", "max", R + ".memory.limit"),
                    new CgroupSetting("memory", "memory.swap.max", "max", R + ".memory.swap")), out);
        }

        @Test
        void swapMinusOneIsMax() {
            List<CgroupSetting> out = map("""
                    {"memory": {"limit": 104857600, "swap": -1}}""");
            assertEquals(new CgroupSetting("memory", "memory.swap.max", "max", R + ".memory.swap"), out.get(1));
            assertSetting("memory", "memory.swap.max", "max", R + ".memory.swap", only("""
                    {"memory": {"swap": -1}}"""));
            assertEquals(2, map("""
                    {"memory": {"limit": -1, "swap": -1}}""").size());
        }

        @Test
        void swapZeroWithALimitIsUnset() {
            // runc: numToStr(0) is "" and swap 0 is "unset": memory.swap.max is not written
            assertEquals(List.of(new CgroupSetting("memory", "memory.max", "104857600", R + ".memory.limit")), map("""
                    {"memory": {"limit": 104857600, "swap": 0}}"""));
            assertEquals(List.of(), map("""
                    {"memory": {"swap": 0}}"""));
        }

        @Test
        void swapBelowTheLimitIsAnError() {
            fails("""
                    {"memory": {"limit": 104857600, "swap": 52428800}}""", R + ".memory.swap",
                    "must be >= the memory limit");
        }

        @Test
        void swapWithoutALimitIsAnError() {
            fails("""
                    {"memory": {"swap": 209715200}}""", R + ".memory.swap", "needs a memory limit");
            fails("""
                    {"memory": {"limit": -1, "swap": 209715200}}""", R + ".memory.swap", "needs a memory limit");
            fails("""
                    {"memory": {"limit": 0, "swap": 209715200}}""", R + ".memory.swap", "needs a memory limit");
        }

        @Test
        void swappinessIsAnError() {
            fails("""
                    {"memory": {"swappiness": 60}}""", R + ".memory.swappiness", "swappiness");
            fails("""
                    {"memory": {"limit": 104857600, "swappiness": 0}}""", R + ".memory.swappiness", "swappiness");
        }

        @Test
        void swappinessMinusOneMeansUnsetAndIsAccepted() {
            assertEquals(List.of(), map("""
                    {"memory": {"swappiness": -1}}"""));
        }

        @Test
        void disablingTheOomKillerIsAnError() {
            fails("""
                    {"memory": {"disableOOMKiller": true}}""", R + ".memory.disableOOMKiller", "OOM killer");
            assertEquals(List.of(), map("""
                    {"memory": {"disableOOMKiller": false}}"""));
        }
    }

    @Nested
    class CpuLimits {
        @Test
        void sharesAreCpuWeight() {
            // 1 + (1024 - 2) * 9999 / 262142 = 1 + 10218978 / 262142 = 1 + 38 = 39
            assertEquals(39, runcCpuWeight(1024));
            assertSetting("cpu", "cpu.weight", "39", R + ".cpu.shares", only("""
                    {"cpu": {"shares": 1024}}"""));
        }

        @Test
        void sharesEndpointsMapOntoTheWeightRange() {
            // 2 -> 1 + 0 = 1; 262144 -> 1 + 262142 * 9999 / 262142 = 1 + 9999 = 10000
            assertEquals("1", only("""
                    {"cpu": {"shares": 2}}""").value());
            assertEquals("10000", only("""
                    {"cpu": {"shares": 262144}}""").value());
            // 512 -> 1 + 510 * 9999 / 262142 = 1 + 5099490 / 262142 = 1 + 19 = 20
            assertEquals(20, runcCpuWeight(512));
            assertEquals("20", only("""
                    {"cpu": {"shares": 512}}""").value());
        }

        @Test
        void sharesZeroIsUnset() {
            assertEquals(List.of(), map("""
                    {"cpu": {"shares": 0}}"""));
        }

        @Test
        void sharesOutOfRangeAreErrors() {
            fails("""
                    {"cpu": {"shares": 1}}""", R + ".cpu.shares", "between 2 and 262144");
            fails("""
                    {"cpu": {"shares": 262145}}""", R + ".cpu.shares", "between 2 and 262144");
        }

        @Test
        void quotaAndPeriodAreCpuMax() {
            assertSetting("cpu", "cpu.max", "50000 100000", R + ".cpu.quota", only("""
                    {"cpu": {"quota": 50000, "period": 100000}}"""));
        }

        @Test
        void quotaMinusOneIsMax() {
            assertSetting("cpu", "cpu.max", "max 100000", R + ".cpu.quota", only("""
                    {"cpu": {"quota": -1}}"""));
        }

        @Test
        void quotaAndPeriodZeroAreUnset() {
            // runc: cpu.max is written only when CpuQuota != 0 || CpuPeriod != 0
            assertEquals(List.of(), map("""
                    {"cpu": {"quota": 0}}"""));
            assertEquals(List.of(), map("""
                    {"cpu": {"quota": 0, "period": 0}}"""));
        }

        @Test
        void quotaAloneGetsTheDefaultPeriod() {
            assertEquals("25000 100000", only("""
                    {"cpu": {"quota": 25000}}""").value());
        }

        @Test
        void periodAloneIsUnlimitedQuota() {
            assertSetting("cpu", "cpu.max", "max 200000", R + ".cpu.period", only("""
                    {"cpu": {"period": 200000}}"""));
        }

        @Test
        void periodBoundsAreTheKernels() {
            assertEquals("1000 1000", only("""
                    {"cpu": {"quota": 1000, "period": 1000}}""").value());
            assertEquals("max 1000000", only("""
                    {"cpu": {"period": 1000000}}""").value());
            fails("""
                    {"cpu": {"period": 100}}""", R + ".cpu.period", "100");
            fails("""
                    {"cpu": {"quota": 50000, "period": 1000001}}""", R + ".cpu.period", "1000001");
        }

        @Test
        void tinyQuotaIsAnError() {
            fails("""
                    {"cpu": {"quota": 500}}""", R + ".cpu.quota", "500");
            fails("""
                    {"cpu": {"quota": -2}}""", R + ".cpu.quota", "-2");
        }

        @Test
        void burstIsCpuMaxBurstAndWrittenAfterCpuMax() {
            // the kernel checks burst against the quota in force: cpu.max must be written first
            assertEquals(List.of(
                    new CgroupSetting("cpu", "cpu.max", "50000 100000", R + ".cpu.quota"),
                    new CgroupSetting("cpu", "cpu.max.burst", "10000", R + ".cpu.burst")), map("""
                    {"cpu": {"burst": 10000, "quota": 50000, "period": 100000}}"""));
        }

        @Test
        void negativeBurstIsAnError() {
            fails("""
                    {"cpu": {"burst": -1}}""", R + ".cpu.burst", "-1");
        }

        @Test
        void idleIsCpuIdle() {
            assertSetting("cpu", "cpu.idle", "1", R + ".cpu.idle", only("""
                    {"cpu": {"idle": 1}}"""));
            assertSetting("cpu", "cpu.idle", "0", R + ".cpu.idle", only("""
                    {"cpu": {"idle": 0}}"""));
            fails("""
                    {"cpu": {"idle": 2}}""", R + ".cpu.idle", "must be 0 or 1");
        }

        @Test
        void realtimeRuntimeIsAnError() {
            fails("""
                    {"cpu": {"realtimeRuntime": 1000}}""", R + ".cpu.realtimeRuntime", "real-time");
        }

        @Test
        void realtimePeriodIsAnErrorNamingRealtimePeriod() {
            // only realtimePeriod is in the config: the error must point at it, not at realtimeRuntime
            fails("""
                    {"cpu": {"realtimePeriod": 1000000}}""", R + ".cpu.realtimePeriod", "real-time");
        }

        @Test
        void cpusAndMemsAreCpuset() {
            assertEquals(List.of(
                    new CgroupSetting("cpuset", "cpuset.cpus", "0-1,3", R + ".cpu.cpus"),
                    new CgroupSetting("cpuset", "cpuset.mems", "0", R + ".cpu.mems")), map("""
                    {"cpu": {"cpus": "0-1,3", "mems": "0"}}"""));
            assertEquals("0-3,6,8-9", only("""
                    {"cpu": {"cpus": "0-3,6,8-9"}}""").value());
            assertEquals(List.of(), map("""
                    {"cpu": {"cpus": "", "mems": ""}}"""));
        }

        @Test
        void malformedCpuListsAreErrors() {
            fails("""
                    {"cpu": {"cpus": "a-b"}}""", R + ".cpu.cpus", "a-b");
            fails("""
                    {"cpu": {"cpus": "0-1,"}}""", R + ".cpu.cpus", "0-1,");
            fails("""
                    {"cpu": {"mems": "zero"}}""", R + ".cpu.mems", "zero");
        }
    }

    @Nested
    class PidsLimits {
        @Test
        void limitIsPidsMax() {
            assertSetting("pids", "pids.max", "100", R + ".pids.limit", only("""
                    {"pids": {"limit": 100}}"""));
        }

        @Test
        void minusOneIsMax() {
            assertSetting("pids", "pids.max", "max", R + ".pids.limit", only("""
                    {"pids": {"limit": -1}}"""));
        }

        @Test
        void zeroIsUnlimitedByLeavingTheDefaultMax() {
            // runc (fs2 isPidsSet): PidsLimit 0 is "not set", nothing is written, and a new
            // cgroup's pids.max is already "max": unlimited either way
            assertEquals(List.of(), map("""
                    {"pids": {"limit": 0}}"""));
        }
    }

    @Nested
    class BlockIOLimits {
        @Test
        void weightIsDefaultIoWeight() {
            // 1 + (500 - 10) * 9999 / 990 = 1 + 4899510 / 990 = 1 + 4949 = 4950
            assertEquals(4950, runcIoWeight(500));
            assertSetting("io", "io.weight", "default 4950", R + ".blockIO.weight", only("""
                    {"blockIO": {"weight": 500}}"""));
        }

        @Test
        void weightEndpoints() {
            // 10 -> 1; 1000 -> 1 + 990 * 9999 / 990 = 10000
            assertEquals("default 1", only("""
                    {"blockIO": {"weight": 10}}""").value());
            assertEquals("default 10000", only("""
                    {"blockIO": {"weight": 1000}}""").value());
            // 11 -> 1 + 9999 / 990 = 1 + 10 = 11
            assertEquals("default " + runcIoWeight(11), only("""
                    {"blockIO": {"weight": 11}}""").value());
            assertEquals(List.of(), map("""
                    {"blockIO": {"weight": 0}}"""));
        }

        @Test
        void weightOutOfRangeIsAnError() {
            fails("""
                    {"blockIO": {"weight": 5}}""", R + ".blockIO.weight", "between 10 and 1000");
            fails("""
                    {"blockIO": {"weight": 1001}}""", R + ".blockIO.weight", "between 10 and 1000");
        }

        @Test
        void weightDeviceIsPerDeviceIoWeight() {
            // 1 + (100 - 10) * 9999 / 990 = 1 + 899910 / 990 = 1 + 909 = 910
            assertEquals(910, runcIoWeight(100));
            assertSetting("io", "io.weight", "8:0 910", R + ".blockIO.weightDevice[0]", only("""
                    {"blockIO": {"weightDevice": [{"major": 8, "minor": 0, "weight": 100}]}}"""));
        }

        @Test
        void weightDeviceOutOfRangeNamesTheEntry() {
            fails("""
                    {"blockIO": {"weightDevice": [{"major": 8, "minor": 0, "weight": 100},
                                                  {"major": 8, "minor": 16, "weight": 2000}]}}""",
                    R + ".blockIO.weightDevice[1].weight", "2000");
        }

        @Test
        void throttlesAreIoMax() {
            List<CgroupSetting> out = map("""
                    {"blockIO": {
                      "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
                      "throttleWriteBpsDevice": [{"major": 8, "minor": 0, "rate": 2097152}],
                      "throttleReadIOPSDevice": [{"major": 8, "minor": 16, "rate": 100}],
                      "throttleWriteIOPSDevice": [{"major": 253, "minor": 1, "rate": 200}]
                    }}""");
            assertEquals(List.of(
                    new CgroupSetting("io", "io.max", "8:0 rbps=1048576", R + ".blockIO.throttleReadBpsDevice[0]"),
                    new CgroupSetting("io", "io.max", "8:0 wbps=2097152", R + ".blockIO.throttleWriteBpsDevice[0]"),
                    new CgroupSetting("io", "io.max", "8:16 riops=100", R + ".blockIO.throttleReadIOPSDevice[0]"),
                    new CgroupSetting("io", "io.max", "253:1 wiops=200", R + ".blockIO.throttleWriteIOPSDevice[0]")),
                    out);
        }

        @Test
        void rateZeroIsMax() {
            assertEquals("8:0 rbps=max", only("""
                    {"blockIO": {"throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 0}]}}""").value());
        }

        @Test
        void negativeRateIsAnError() {
            fails("""
                    {"blockIO": {"throttleWriteIOPSDevice": [{"major": 8, "minor": 0, "rate": 10},
                                                             {"major": 8, "minor": 0, "rate": -1}]}}""",
                    R + ".blockIO.throttleWriteIOPSDevice[1].rate", "-1");
        }

        @Test
        void leafWeightIsAnError() {
            fails("""
                    {"blockIO": {"leafWeight": 500}}""", R + ".blockIO.leafWeight", "leaf weight");
        }

        @Test
        void weightDeviceLeafWeightIsAnErrorToo() {
            // v2 has no leaf weight; ResourceMapper's contract is "errors, never dropped"
            fails("""
                    {"blockIO": {"weightDevice": [{"major": 8, "minor": 0, "leafWeight": 100}]}}""",
                    R + ".blockIO.weightDevice[0].leafWeight", "leaf weight");
        }
    }

    @Nested
    class Hugepages {
        @Test
        void limitIsHugetlbMax() {
            assertSetting("hugetlb", "hugetlb.2MB.max", "4194304", R + ".hugepageLimits[0]", only("""
                    {"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}"""));
        }

        @Test
        void eachEntryNamesItsIndex() {
            assertEquals(List.of(
                    new CgroupSetting("hugetlb", "hugetlb.2MB.max", "4194304", R + ".hugepageLimits[0]"),
                    new CgroupSetting("hugetlb", "hugetlb.1GB.max", "1073741824", R + ".hugepageLimits[1]")), map("""
                    {"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304},
                                        {"pageSize": "1GB", "limit": 1073741824}]}"""));
        }

        @Test
        void pageSizeMustBeTheKernelsSpelling() {
            fails("""
                    {"hugepageLimits": [{"pageSize": "2M", "limit": 4194304}]}""",
                    R + ".hugepageLimits[0].pageSize", "2M");
            fails("""
                    {"hugepageLimits": [{"pageSize": "2MB", "limit": 1}, {"pageSize": "../2MB", "limit": 1}]}""",
                    R + ".hugepageLimits[1].pageSize", "../2MB");
            fails("""
                    {"hugepageLimits": [{"limit": 1}]}""", R + ".hugepageLimits[0].pageSize", "page size");
        }

        @Test
        void negativeLimitIsAnError() {
            fails("""
                    {"hugepageLimits": [{"pageSize": "2MB", "limit": -1}]}""", R + ".hugepageLimits[0].limit", "-1");
        }
    }

    @Nested
    class Unified {
        @Test
        void keyIsTheFileAndItsPrefixTheController() {
            assertSetting("memory", "memory.high", "1G", R + ".unified[\"memory.high\"]", only("""
                    {"unified": {"memory.high": "1G"}}"""));
            assertSetting("io", "io.bfq.weight", "100", R + ".unified[\"io.bfq.weight\"]", only("""
                    {"unified": {"io.bfq.weight": "100"}}"""));
        }

        @Test
        void harmlessCoreFilesAreAllowed() {
            assertSetting("cgroup", "cgroup.max.depth", "5", R + ".unified[\"cgroup.max.depth\"]", only("""
                    {"unified": {"cgroup.max.depth": "5"}}"""));
        }

        @Test
        void filesJrunManagesAreErrors() {
            for (String key : List.of("cgroup.procs", "cgroup.threads", "cgroup.kill", "cgroup.subtree_control",
                    "cgroup.freeze")) {
                fails("""
                        {"unified": {"%s": "1"}}""".formatted(key), R + ".unified[\"" + key + "\"]",
                        "managed by jrun");
            }
        }

        @Test
        void pathsAreErrors() {
            fails("""
                    {"unified": {"../x": "1"}}""", R + ".unified[\"../x\"]", "not a cgroup interface file name");
            fails("""
                    {"unified": {"memory.high/../x": "1"}}""", R + ".unified[\"memory.high/../x\"]",
                    "not a cgroup interface file name");
            fails("""
                    {"unified": {"..": "1"}}""", R + ".unified[\"..\"]", "not a cgroup interface file name");
            fails("""
                    {"unified": {"memory..high": "1"}}""", R + ".unified[\"memory..high\"]",
                    "not a cgroup interface file name");
        }

        @Test
        void namesWithoutAControllerPrefixAreErrors() {
            fails("""
                    {"unified": {"nodot": "1"}}""", R + ".unified[\"nodot\"]", "not a cgroup interface file name");
            fails("""
                    {"unified": {".max": "1"}}""", R + ".unified[\".max\"]", "not a cgroup interface file name");
            fails("""
                    {"unified": {"memory.": "1"}}""", R + ".unified[\"memory.\"]", "not a cgroup interface file name");
        }

        @Test
        void aNullValueIsAnErrorNotANullWrite() {
            // {"memory.high": null} parses (Map<String, String>); a null value must not reach
            // Cgroup.apply, where Files.writeString(file, null) throws NullPointerException
            JrunException e = assertThrows(JrunException.class, () -> map("""
                    {"unified": {"memory.high": null}}"""), "a null unified value must be rejected");
            assertTrue(e.getMessage().contains(R + ".unified[\"memory.high\"]"), e.getMessage());
        }

        @Test
        void unifiedComesAfterTheTypedFieldsSoItWins() {
            // runc: a unified value overrides the same file set through the typed fields
            List<CgroupSetting> out = map("""
                    {"memory": {"limit": 8388608}, "unified": {"memory.max": "16777216"}}""");
            assertEquals(List.of(
                    new CgroupSetting("memory", "memory.max", "8388608", R + ".memory.limit"),
                    new CgroupSetting("memory", "memory.max", "16777216", R + ".unified[\"memory.max\"]")), out);
        }
    }

    @Nested
    class NetworkLimits {
        @Test
        void classIdIsAnError() {
            fails("""
                    {"network": {"classID": 1048577}}""", R + ".network", "cgroup v2");
        }

        @Test
        void prioritiesAreAnError() {
            fails("""
                    {"network": {"priorities": [{"name": "eth0", "priority": 500}]}}""", R + ".network", "cgroup v2");
        }

        @Test
        void anEmptyNetworkSectionIsFine() {
            assertEquals(List.of(), map("""
                    {"network": {"priorities": []}}"""));
        }
    }

    @Test
    void everySettingNamesWhereItCameFrom() {
        List<CgroupSetting> out = map("""
                {
                  "memory": {"limit": 104857600, "reservation": 52428800, "swap": 209715200},
                  "cpu": {"shares": 1024, "quota": 50000, "period": 100000, "cpus": "0"},
                  "pids": {"limit": 64},
                  "blockIO": {"weight": 500, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}]},
                  "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
                  "unified": {"memory.high": "90M"}
                }""");
        assertEquals(List.of(
                R + ".memory.limit",
                R + ".memory.reservation",
                R + ".memory.swap",
                R + ".cpu.shares",
                R + ".cpu.quota",
                R + ".cpu.cpus",
                R + ".pids.limit",
                R + ".blockIO.weight",
                R + ".blockIO.throttleReadBpsDevice[0]",
                R + ".hugepageLimits[0]",
                R + ".unified[\"memory.high\"]"), out.stream().map(CgroupSetting::origin).toList());
        assertEquals(List.of("memory.max", "memory.low", "memory.swap.max", "cpu.weight", "cpu.max", "cpuset.cpus",
                "pids.max", "io.weight", "io.max", "hugetlb.2MB.max", "memory.high"),
                out.stream().map(CgroupSetting::file).toList());
        assertEquals(List.of("104857600", "52428800", "104857600", "39", "50000 100000", "0", "64", "default 4950",
                "8:0 rbps=1048576", "4194304", "90M"), out.stream().map(CgroupSetting::value).toList());
    }
}
