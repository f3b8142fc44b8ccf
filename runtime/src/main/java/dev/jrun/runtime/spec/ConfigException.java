package dev.jrun.runtime.spec;

/**
 * A config.json that cannot be used: unreadable, malformed, wrong types, or failing validation.
 * The message is meant for the user as is ("config.json: $.mounts[2].destination: must be ...").
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String jsonPath;

    public ConfigException(String message) {
        this(message, null, null);
    }

    public ConfigException(String message, Throwable cause) {
        this(message, null, cause);
    }

    private ConfigException(String message, String jsonPath, Throwable cause) {
        super(message, cause);
        this.jsonPath = jsonPath;
    }

    /** "file: path: reason", the shape of every validation error. */
    public static ConfigException at(String fileName, String jsonPath, String reason) {
        return new ConfigException(fileName + ": " + jsonPath + ": " + reason, jsonPath, null);
    }

    /** Same shape as {@link #at} but with a line/column location, for JSON syntax and type errors. */
    static ConfigException atLocation(String fileName, int line, int column, String jsonPath, String reason,
                                      Throwable cause) {
        String where = line > 0 ? "line " + line + ", column " + column + " at " : "at ";
        return new ConfigException(fileName + ": " + where + jsonPath + ": " + reason, jsonPath, cause);
    }

    /** The JSON path of the offending value ("$.process.args"), or null when not about one value. */
    public String jsonPath() {
        return jsonPath;
    }
}
