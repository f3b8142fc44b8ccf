package dev.jrun.image.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryChallengeTest {
    @Test
    void bearerWithQuotedParameters() {
        List<Challenge> cs = Challenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertEquals(1, cs.size());
        Challenge c = cs.get(0);
        assertTrue(c.isBearer());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/busybox:pull"), c.params());
    }

    @Test
    void schemeAndNamesAreCaseInsensitiveValuesMayBeUnquotedOrEscaped() {
        Challenge c = Challenge.parse("BASIC Realm=plain, charset=\"UTF-8\", x=\"a\\\"b\"").get(0);
        assertTrue(c.isBasic());
        assertEquals("plain", c.param("realm"));
        assertEquals("UTF-8", c.param("charset"));
        assertEquals("a\"b", c.param("x"));
    }

    @Test
    void severalChallengesInOneValueAndErrorParameters() {
        List<Challenge> cs = Challenge.parse(
                "Basic realm=\"r\", Bearer realm=\"https://a/t\",service=\"s\",scope=\"repository:x:pull\",error=\"insufficient_scope\"");
        assertEquals(2, cs.size());
        assertTrue(cs.get(0).isBasic());
        assertEquals("insufficient_scope", cs.get(1).param("error"));
        assertEquals("repository:x:pull", cs.get(1).param("scope"));
    }

    @Test
    void pickPrefersBearerAndIgnoresOthers() {
        assertTrue(Challenge.pick(List.of("Basic realm=\"r\"", "Bearer realm=\"https://a/t\"")).isBearer());
        assertTrue(Challenge.pick(List.of("Negotiate abc==", "Basic realm=\"r\"")).isBasic());
        assertNull(Challenge.pick(List.of("Negotiate", "")));
        assertNull(Challenge.pick(List.of("Bearer service=\"no realm\"")));
    }

    @Test
    void bareSchemeAndGarbageDoNotLoop() {
        assertEquals(List.of(new Challenge("basic", Map.of())), Challenge.parse("Basic"));
        assertTrue(Challenge.parse("=,,\"\" ;").isEmpty());
        assertEquals("v", Challenge.parse("Bearer realm=\"v").get(0).param("realm"));
    }
}
