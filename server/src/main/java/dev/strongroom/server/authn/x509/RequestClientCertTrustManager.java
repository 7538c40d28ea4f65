package dev.strongroom.server.authn.x509;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * For the TLS layer with {@code --client-ca-file}: Go's {@code tls.RequestClientCert}. The handshake asks for a
 * client certificate and advertises the client CAs (so clients pick the right certificate), but accepts whatever is
 * presented without verifying it; {@link ClientCertificateAuthenticator} then verifies chain, validity and EKU per
 * request, so a bad certificate is answered with a 401 Status as by kube-apiserver, not with a handshake failure.
 * Never use it for a client, only for the server side of a handshake.
 */
public final class RequestClientCertTrustManager extends X509ExtendedTrustManager {
    private final X509Certificate[] acceptedIssuers;

    public RequestClientCertTrustManager(List<X509Certificate> clientCas) {
        this.acceptedIssuers = clientCas.toArray(new X509Certificate[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Verified by ClientCertificateAuthenticator, per request.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Verified by ClientCertificateAuthenticator, per request.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Verified by ClientCertificateAuthenticator, per request.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client-certificate request trust manager cannot verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a client-certificate request trust manager cannot verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a client-certificate request trust manager cannot verify servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() { return acceptedIssuers.clone(); }
}
