package dev.jrun.image.zstd;

import java.io.IOException;

/** A zstd stream that is corrupt, truncated or uses a feature this decoder does not have. */
public final class ZstdFormatException extends IOException {
    public ZstdFormatException(String message) {
        super("zstd: " + message);
    }
}
