package org.exposure;

/** An owned native handle, freed once by close(). Methods of subclasses are synchronized. */
abstract class NativeHandle implements AutoCloseable {
  private long handle;

  NativeHandle(long handle) {
    this.handle = handle;
  }

  /** The live handle; IllegalStateException after close(). */
  final synchronized long handle() {
    if (handle == 0) throw new IllegalStateException(getClass().getSimpleName() + " is closed");
    return handle;
  }

  abstract void free(long handle);

  @Override
  public final synchronized void close() {
    if (handle != 0) free(handle);
    handle = 0;
  }
}
