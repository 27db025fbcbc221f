// swift-tools-version:5.9
// The Swift binding of libexposure: CExposure (a system library: the C ABI exposure.h and
// libexposure_c, found through pkg-config's exposure_c.pc) and Exposure, the Swift wrapper.
// Install libexposure first and put its lib/pkgconfig on PKG_CONFIG_PATH (docs/install.md).
import PackageDescription

let package = Package(
  name: "Exposure",
  products: [
    .library(name: "Exposure", targets: ["Exposure"])
  ],
  targets: [
    .systemLibrary(name: "CExposure", pkgConfig: "exposure_c"),
    .target(name: "Exposure", dependencies: ["CExposure"]),
    .testTarget(
      name: "ExposureTests", dependencies: ["Exposure"]),
  ]
)
