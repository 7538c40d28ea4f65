package dev.strongroom.server.authn;

import java.util.List;
import java.util.Map;

/** Who made a request, as Kubernetes' {@code user.Info}. */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String MASTERS = "system:masters";
    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of(UNAUTHENTICATED), Map.of());

    public boolean inGroup(String group) { return groups.contains(group); }
}
