package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.meta.HumanDuration;

import java.time.Duration;
import java.time.Instant;

/** The Age column: time since creation in apimachinery's {@code HumanDuration} form. */
public final class Ages {
    private Ages() {}

    public static String age(ObjectNode obj, Instant now) {
        Instant created = Meta.parseTime(Meta.str(obj.get("metadata"), "creationTimestamp"));
        if (created == null) return "<unknown>";
        return HumanDuration.format(Duration.between(created, now));
    }
}
