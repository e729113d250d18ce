package dev.libos.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsNestedValues() {
        Object value = JsonReader.parse(" { \"a\" : [1, -2.5e3, true, false, null], \"b\" : { } , \"c\": [] } ");
        Map<?, ?> object = (Map<?, ?>) value;
        assertEquals(List.of(1.0, -2500.0, true, false), ((List<?>) object.get("a")).subList(0, 4));
        assertEquals(null, ((List<?>) object.get("a")).get(4));
        assertEquals(Map.of(), object.get("b"));
        assertEquals(List.of(), object.get("c"));
        assertEquals(List.of("a", "b", "c"), List.copyOf(object.keySet()), "key order is kept");
    }

    @Test
    void decodesStringEscapes() {
        assertEquals("q\"b\\s/n\nt\tu\u00e9", JsonReader.parse("\"q\\\"b\\\\s\\/n\\nt\\tu\\u00e9\""));
    }

    @Test
    void acceptsBareNonFiniteNumbers() {
        assertEquals(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
                JsonReader.parse("[NaN, Infinity, -Infinity]"));
    }

    @Test
    void rejectsMalformedInputNamingTheOffset() {
        for (String bad : List.of("", "[1,", "{\"a\" 1}", "[1] x", "\"open", "{1:2}", "tru", "[\"\\x\"]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
        }
    }
}
