package dev.taskpoller.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SvixSignatureTest {

    /** The example of Svix's own libraries' tests: its secret, id, timestamp, body and signature. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant SENT = Instant.ofEpochSecond(1614265330);
    private final SvixSignature svix = new SvixSignature(SECRET, Duration.ofMinutes(5));

    @Test
    void svixsOwnExampleVerifiesAloneOrAmongOtherSignatures() {
        assertTrue(svix.verify(ID, TIMESTAMP, SIGNATURE, BODY, SENT));
        assertTrue(svix.verify(ID, TIMESTAMP, "v1,bm90IGl0 " + SIGNATURE + " v2,whatever", BODY, SENT));
    }

    @Test
    void anyChangeToTheIdTimestampBodyOrSignatureFailsIt() {
        assertFalse(svix.verify(ID + "x", TIMESTAMP, SIGNATURE, BODY, SENT));
        assertFalse(svix.verify(ID, "1614265331", SIGNATURE, BODY, SENT));
        assertFalse(svix.verify(ID, TIMESTAMP, SIGNATURE, BODY + " ", SENT));
        assertFalse(svix.verify(ID, TIMESTAMP, SIGNATURE.replace('g', 'h'), BODY, SENT));
        assertFalse(svix.verify(ID, TIMESTAMP, SIGNATURE.substring(3), BODY, SENT), "no version");
        assertFalse(svix.verify(ID, TIMESTAMP, "v1,@@@", BODY, SENT), "not base64");
        assertFalse(svix.verify(null, TIMESTAMP, SIGNATURE, BODY, SENT));
        assertFalse(svix.verify(ID, "soon", SIGNATURE, BODY, SENT));
    }

    @Test
    void aTimestampOutsideTheToleranceEitherWayFailsIt() {
        assertTrue(svix.verify(ID, TIMESTAMP, SIGNATURE, BODY, SENT.plus(Duration.ofMinutes(5))));
        assertTrue(svix.verify(ID, TIMESTAMP, SIGNATURE, BODY, SENT.minus(Duration.ofMinutes(5))));
        assertFalse(svix.verify(ID, TIMESTAMP, SIGNATURE, BODY, SENT.plus(Duration.ofMinutes(5)).plusSeconds(1)));
        assertFalse(svix.verify(ID, TIMESTAMP, SIGNATURE, BODY, SENT.minus(Duration.ofMinutes(5)).minusSeconds(1)));
    }

    @Test
    void anEmptySecretVerifiesNothingAndTheSecretIsNeverPrinted() {
        assertFalse(new SvixSignature("", Duration.ofMinutes(5)).verify(ID, TIMESTAMP, SIGNATURE, BODY, SENT));
        assertFalse(svix.toString().contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new SvixSignature("whsec_not*base64*secret", Duration.ofMinutes(5)));
        assertFalse(bad.getMessage().contains("not*base64*secret"));
    }
}
