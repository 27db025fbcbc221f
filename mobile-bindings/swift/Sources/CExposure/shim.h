// The installed C header, found on the include path pkg-config gives (exposure_c.pc).
#include <exposure.h>
