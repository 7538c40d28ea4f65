package dev.strongroom.server.authn;

import java.util.List;
import java.util.Map;

/** Who made a request, as Kubernetes' {@code user.Info}. */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String MASTERS = "system:masters";
    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of(UNAUTHENTICATED), Map.of());

    /** {@code user.CredentialIDKey}: which credential authenticated the request (X509SHA256=…, JTI=…). */
    public static final String CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";

    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    public static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

    public boolean inGroup(String group) { return groups.contains(group); }

    /** {@code serviceaccount.MakeUsername}. */
    public static String serviceAccountUsername(String namespace, String name) {
        return SERVICE_ACCOUNT_PREFIX + namespace + ":" + name;
    }

    /** {@code serviceaccount.MakeGroupNames}: {@code system:serviceaccounts}, {@code system:serviceaccounts:<ns>}. */
    public static List<String> serviceAccountGroups(String namespace) {
        return List.of(SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNTS_GROUP + ":" + namespace);
    }
}
