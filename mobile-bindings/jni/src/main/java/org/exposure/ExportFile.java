package org.exposure;

import java.util.List;

/** Diagnosis-key export files (export.zip, or a bare export.bin for reading). */
public final class ExportFile {
  private ExportFile() {}

  /** Verifies a signed archive; throws VERIFICATION_FAILED (naming the key), MALFORMED, ... */
  public static void verify(String path, List<PublicKey> keys) {
    Native.verifyExportFile(Utf8.encode(path), PublicKey.names(keys), PublicKey.keys(keys));
  }

  public static void verify(byte[] archive, List<PublicKey> keys) {
    Native.verifyExportBytes(archive, PublicKey.names(keys), PublicKey.keys(keys));
  }

  /** The keys (not the revised keys) of a file, in file order, without verifying it. */
  public static List<DiagnosisKey> readKeys(String path) {
    return Records.unpackDiagnosisKeys(Native.readExportFile(Utf8.encode(path)));
  }

  public static List<DiagnosisKey> readKeys(byte[] data) {
    return Records.unpackDiagnosisKeys(Native.readExportBytes(data));
  }
}
