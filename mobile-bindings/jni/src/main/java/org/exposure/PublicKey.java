package org.exposure;

import java.util.List;

/**
 * A key that signs export files, named "&lt;key id&gt;-&lt;key version&gt;" (e.g. "310-v1"). Each key given
 * to a call is its own cosign set: a file passes when a signature of any one of them verifies.
 */
public final class PublicKey {
  private final String name;
  private final byte[] key;

  /** @param key PEM text, base64 or DER SubjectPublicKeyInfo of a P-256 key */
  public PublicKey(String name, byte[] key) {
    this.name = name;
    this.key = key.clone();
  }

  public static PublicKey fromPem(String name, String pem) {
    return new PublicKey(name, Utf8.encode(pem));
  }

  public String name() {
    return name;
  }

  static byte[][] names(List<PublicKey> keys) {
    byte[][] out = new byte[keys.size()][];
    for (int i = 0; i < out.length; ++i) out[i] = Utf8.encode(keys.get(i).name);
    return out;
  }

  static byte[][] keys(List<PublicKey> keys) {
    byte[][] out = new byte[keys.size()][];
    for (int i = 0; i < out.length; ++i) out[i] = keys.get(i).key.clone();
    return out;
  }
}
