package dev.jrun.cli;

import dev.jrun.runtime.JrunException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgParserTest {
    private static final List<Option> OPTS = List.of(
            Option.value("DIR", "state dir", "root"),
            Option.value("PATH", "bundle", "bundle", "b"),
            Option.flag("force", "force", "f"),
            Option.flag("debug", "debug"));

    private static ParsedArgs parse(String... args) {
        ParsedArgs out = new ParsedArgs();
        ArgParser.parse(List.of(args), 0, OPTS, out, "cmd", false, false);
        return out;
    }

    @Test
    void valueFlagInEverySpelling() {
        assertEquals("/x", parse("--root", "/x").values.get("root"));
        assertEquals("/x", parse("--root=/x").values.get("root"));
        assertEquals("/x", parse("-root", "/x").values.get("root"));
        assertEquals("/x", parse("-root=/x").values.get("root"));
        assertEquals("/b", parse("-b", "/b").values.get("bundle"), "short name is stored under the primary name");
        assertEquals("a=b", parse("--root=a=b").values.get("root"), "only the first '=' splits");
        assertEquals("", parse("--root=").values.get("root"));
        assertEquals("-dash", parse("--root", "-dash").values.get("root"), "the next argument is the value");
    }

    @Test
    void booleanFlags() {
        assertTrue(parse("--force").flag("force"));
        assertTrue(parse("-f").flag("force"));
        assertTrue(parse("--force=true").flag("force"));
        assertFalse(parse("--force=false").flag("force"));
        assertFalse(parse().flag("force"));
        ParsedArgs p = parse("--force", "c1");
        assertEquals(List.of("c1"), p.positionals, "a boolean flag does not eat the next argument");
    }

    /** Go's flag package (under urfave/cli) takes strconv.ParseBool's spellings. */
    @Test
    void booleanFlagTakesGoBoolSpellings() {
        assertTrue(parse("--force=1").flag("force"));
        assertFalse(parse("--force=0").flag("force"));
        assertTrue(parse("--force=T").flag("force"));
        assertFalse(parse("--force=FALSE").flag("force"));
    }

    @Test
    void badBooleanValueIsAnError() {
        JrunException e = assertThrows(JrunException.class, () -> parse("--force=maybe"));
        assertTrue(e.getMessage().contains("invalid boolean value \"maybe\" for -force"), e.getMessage());
    }

    @Test
    void unknownFlagIsNamedLikeGoFlag() {
        ParsedArgs out = new ParsedArgs();
        JrunException e = assertThrows(JrunException.class,
                () -> ArgParser.parse(List.of("--x"), 0, OPTS, out, null, false, false));
        assertEquals("flag provided but not defined: -x", e.getMessage());
        JrunException withCmd = assertThrows(JrunException.class, () -> parse("-x=1"));
        assertEquals("cmd: flag provided but not defined: -x", withCmd.getMessage());
    }

    @Test
    void missingValueIsAnError() {
        JrunException e = assertThrows(JrunException.class, () -> parse("c1", "--root"));
        assertEquals("cmd: flag needs an argument: -root", e.getMessage());
    }

    @Test
    void flagsAndPositionalsMixUnlessTold() {
        ParsedArgs p = parse("c1", "--root", "/r", "c2", "-f");
        assertEquals(List.of("c1", "c2"), p.positionals);
        assertEquals(Map.of("root", "/r", "force", "true"), p.values);
        assertEquals(List.of("-"), parse("-").positionals, "a lone dash is positional");
    }

    @Test
    void psLikeCommandsStopAtTheFirstPositional() {
        ParsedArgs out = new ParsedArgs();
        int end = ArgParser.parse(List.of("--root", "/r", "c1", "-ef", "--force"), 0, OPTS, out, "ps", true, false);
        assertEquals(5, end);
        assertEquals(List.of("c1", "-ef", "--force"), out.positionals);
        assertEquals(Map.of("root", "/r"), out.values, "flags after the positional are not parsed");
    }

    @Test
    void doubleDashEndsFlags() {
        ParsedArgs p = parse("-f", "--", "--root", "x");
        assertEquals(List.of("--root", "x"), p.positionals);
        assertEquals(Map.of("force", "true"), p.values);
    }

    @Test
    void globalsStopAtTheCommandName() {
        ParsedArgs out = new ParsedArgs();
        List<String> args = List.of("--root", "/r", "--debug", "run", "-b", "/b", "c1");
        int next = ArgParser.parse(args, 0, OPTS, out, null, false, true);
        assertEquals(3, next);
        assertEquals("run", args.get(next));
        assertEquals(Map.of("root", "/r", "debug", "true"), out.values);
        assertTrue(out.positionals.isEmpty());
    }

    @Test
    void parsingStartsAtTheGivenIndex() {
        ParsedArgs out = new ParsedArgs();
        ArgParser.parse(List.of("--unknown-global-ignored?", "--root", "/r"), 1, OPTS, out, "c", false, false);
        assertEquals("/r", out.values.get("root"));
    }

    @Test
    void integerValuesAreChecked() {
        ParsedArgs p = parse("--root", "12");
        assertEquals(12, p.integer("root", 0));
        assertEquals(7, p.integer("bundle", 7));
        JrunException e = assertThrows(JrunException.class, () -> parse("--root", "x1").integer("root", 0));
        assertEquals("invalid value \"x1\" for flag --root: parse error", e.getMessage());
    }
}
