package dev.jrun.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** process.rlimits[]: hard/soft are uint64 in JSON, so RLIM_INFINITY (2^64-1) is stored as the long -1 (unsigned bit pattern); compare with Long.compareUnsigned. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rlimit(
        String type,
        @JsonSerialize(using = UnsignedLongJson.Serializer.class)
        @JsonDeserialize(using = UnsignedLongJson.Deserializer.class)
        long hard,
        @JsonSerialize(using = UnsignedLongJson.Serializer.class)
        @JsonDeserialize(using = UnsignedLongJson.Deserializer.class)
        long soft) {

    /** RLIM_INFINITY as stored in hard/soft. */
    public static final long INFINITY = -1L;
}
