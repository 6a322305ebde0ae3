package dev.taskpoller.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** JSON that taskpoller writes can always be encoded as UTF-8, whatever text a provider or a sender spelt in it. */
class JsonTextTest {

    @Test
    void anUnpairedSurrogateSpeltInJsonIsWrittenAsTheReplacementCharacter() throws Exception {
        var tree = Json.parse("{\"body\":\"a\\ud800b\",\"\\udc00\":\"\\ud83d\\ude00\"}").orElseThrow();
        assertFalse(Json.isWellFormed(tree));

        String written = Json.write(tree);
        assertEquals("{\"body\":\"a\uFFFDb\",\"\uFFFD\":\"\ud83d\ude00\"}", written, "pairs stay, halves are replaced");
        ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(written));
        assertTrue(utf8.remaining() > 0, "encodes without an error");
        assertTrue(Json.isWellFormed(Json.parse(written).orElseThrow()));
    }
}
