package dev.jrun.image;

/**
 * A failure of an image operation, with a message that names what was wrong and where: the
 * image reference, the layer or blob digest, the path inside a layer, the registry URL.
 */
public class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
