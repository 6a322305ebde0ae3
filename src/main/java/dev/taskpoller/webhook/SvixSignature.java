package dev.taskpoller.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature, as Svix (and so Scan Documents) signs webhooks: {@code webhook-signature} (Svix:
 * {@code svix-signature}) holds one or more space-separated {@code v1,<base64 HMAC-SHA256>} of
 * {@code <id>.<timestamp>.<body>}, keyed with the base64 secret after {@code whsec_}; the timestamp (Unix seconds,
 * {@code webhook-timestamp} or {@code svix-timestamp}) must be within the tolerance of now, so that a captured
 * webhook cannot be replayed later. The secret is held as key bytes only and never printed.
 */
public final class SvixSignature {

    private static final String SECRET_PREFIX = "whsec_";
    private static final String VERSION = "v1,";
    private final byte[] key;
    private final Duration tolerance;

    /** @param secret {@code whsec_<base64>} (the prefix may be left out); empty: every webhook is refused */
    public SvixSignature(String secret, Duration tolerance) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            this.key = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            // the message would quote the secret
            throw new IllegalArgumentException("the webhook secret is not whsec_ followed by base64");
        }
        this.tolerance = tolerance;
    }

    /** A secret with no key bytes (empty, or {@code whsec_} alone) signs nothing: every webhook would be refused. */
    public boolean refusesAll() {
        return key.length == 0;
    }

    /** Whether the webhook is signed with the secret and recent enough; anything missing or malformed is not. */
    public boolean verify(String id, String timestamp, String signatures, String body, Instant now) {
        if (key.length == 0 || id == null || timestamp == null || signatures == null || body == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = sign(id + "." + timestamp + "." + body);
        boolean valid = false;
        for (String signature : signatures.strip().split(" +")) {
            if (signature.startsWith(VERSION)) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(signature.substring(VERSION.length()));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                // constant time, and every signature compared, so the time taken tells nothing
                valid |= MessageDigest.isEqual(expected, given);
            }
        }
        return valid;
    }

    /** The base64 signature of this content (for the provider's side: the simulator and the tests). */
    public String signature(String id, String timestamp, String body) {
        return VERSION + Base64.getEncoder().encodeToString(sign(id + "." + timestamp + "." + body));
    }

    private byte[] sign(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SvixSignature[secret hidden, tolerance " + tolerance + "]";
    }
}
