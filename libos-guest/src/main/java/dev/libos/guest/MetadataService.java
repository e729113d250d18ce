package dev.libos.guest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cloud metadata services libos reads user-data from, each with its own paths and headers.
 * {@link #userData} returns empty when the instance has no user-data (HTTP 404).
 */
enum MetadataService {
    /**
     * EC2's instance metadata service, version 2 (IMDSv2): a session token from
     * {@code PUT /latest/api/token}, then the user-data with that token.
     */
    EC2 {
        @Override
        Optional<byte[]> userData(MetadataRequests requests, URI base) throws IOException {
            byte[] token = requests.get("PUT", base.resolve("/latest/api/token"),
                    Map.of("X-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)).orElseThrow(
                            () -> new IOException(base.resolve("/latest/api/token") + ": no IMDSv2 token (HTTP 404)"));
            String text = new String(token, StandardCharsets.US_ASCII).strip();
            if (text.isEmpty() || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IOException(base.resolve("/latest/api/token") + ": the IMDSv2 token is not a printable header value");
            }
            return requests.get("GET", base.resolve("/latest/user-data"), Map.of("X-aws-ec2-metadata-token", text));
        }
    },
    /** GCE's metadata server: the {@code user-data} instance attribute, with the header it demands. */
    GCE {
        @Override
        Optional<byte[]> userData(MetadataRequests requests, URI base) throws IOException {
            return requests.get("GET", base.resolve("/computeMetadata/v1/instance/attributes/user-data"), Map.of("Metadata-Flavor", "Google"));
        }
    },
    /** OpenStack's metadata service (Nova), the latest version of its own format. */
    OPENSTACK {
        @Override
        Optional<byte[]> userData(MetadataRequests requests, URI base) throws IOException {
            return requests.get("GET", base.resolve("/openstack/latest/user_data"), Map.of());
        }
    };

    /** Six hours: the token is used once, right away; a short life is no safer. */
    static final String TOKEN_TTL_SECONDS = "21600";

    /** Fetches this service's user-data from {@code base}; empty when there is none. */
    abstract Optional<byte[]> userData(MetadataRequests requests, URI base) throws IOException;

    /** The setting's value naming this service. */
    String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
