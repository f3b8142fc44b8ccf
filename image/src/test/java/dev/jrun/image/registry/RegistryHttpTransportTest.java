package dev.jrun.image.registry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryHttpTransportTest {
    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }

    @Test
    void retryAfterSecondsOrDateHonouredOnlyWhenShort() {
        assertEquals(Duration.ofSeconds(3), HttpTransport.retryAfter(headers("Retry-After", "3")));
        assertNull(HttpTransport.retryAfter(headers("Retry-After", "3600")));
        assertNull(HttpTransport.retryAfter(headers("Retry-After", "soon")));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(5));
        Duration d = HttpTransport.retryAfter(headers("Retry-After", date));
        assertTrue(d != null && d.compareTo(Duration.ofSeconds(6)) <= 0, String.valueOf(d));
        assertEquals(Duration.ZERO, HttpTransport.retryAfter(headers("Retry-After", "-1")));
        assertNull(HttpTransport.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true)));
    }

    @Test
    void sameOriginIsSchemeHostAndPort() {
        URI reg = URI.create("https://reg.example");
        assertTrue(HttpTransport.sameOrigin(URI.create("https://reg.example:443/v2/x"), reg));
        assertTrue(HttpTransport.sameOrigin(URI.create("https://REG.example/v2/x"), reg));
        assertFalse(HttpTransport.sameOrigin(URI.create("http://reg.example/v2/x"), reg));
        assertFalse(HttpTransport.sameOrigin(URI.create("https://reg.example:5000/v2/x"), reg));
        assertFalse(HttpTransport.sameOrigin(URI.create("https://cdn.example/blob"), reg));
        assertFalse(HttpTransport.sameOrigin(URI.create("https://reg.example.evil/blob"), reg));
    }

    @Test
    void errorDocumentsAreParsedAndOthersIgnored() {
        assertEquals(List.of(new RegistryErrors.ApiError("MANIFEST_UNKNOWN", "manifest unknown")),
                RegistryErrors.parse("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"x\"}}]}".getBytes()));
        assertTrue(RegistryErrors.parse("<html>bad gateway</html>".getBytes()).isEmpty());
        assertTrue(RegistryErrors.parse(new byte[0]).isEmpty());
        assertEquals("(HTTP 404 Not Found, NAME_UNKNOWN: no repo, after 2 attempts)",
                RegistryErrors.said(404, List.of(new RegistryErrors.ApiError("NAME_UNKNOWN", "no repo")), 2));
    }

    @Test
    void nameUnknownNamesTheRepository() {
        var s = new RegistryErrors.Subject("reg.example", "a/b", "manifest", "1", true);
        String m = RegistryErrors.forStatus(s, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}".getBytes(),
                1, "https://reg.example/v2/a/b/manifests/1", "").getMessage();
        assertEquals("reg.example/a/b:1: repository \"a/b\" not found on registry reg.example (HTTP 404 Not Found, NAME_UNKNOWN: repository name not known to registry)", m);
    }
}
