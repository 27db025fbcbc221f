"""Checks the Java artifacts a build wrote (usage: check_artifacts.py JAVA_DIR GROUP VERSION ABI):
each POM is well-formed Maven 4.0.0 with its coordinates and packaging; the jar holds the
org.exposure classes; the AAR has AndroidManifest.xml (package = GROUP), classes.jar with the
jar's classes, and jni/ABI/ with libexposure_jni.so and every libexposure library it needs,
built for ABI. Prints what is wrong and exits 1."""

import io
import pathlib
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

POM_NS = "{http://maven.apache.org/POM/4.0.0}"
ANDROID_NS = "{http://schemas.android.com/apk/res/android}"
ELF_MACHINE = {"x86_64": "X86-64", "arm64-v8a": "AArch64"}

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def check_pom(path, group, artifact, version, packaging):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        problems.append(f"{path.name}: {e}")
        return
    expect(root.tag == POM_NS + "project", f"{path.name}: root element {root.tag}, expected project")
    fields = {name: root.findtext(POM_NS + name) for name in ("modelVersion", "groupId", "artifactId", "version", "packaging")}
    wanted = {"modelVersion": "4.0.0", "groupId": group, "artifactId": artifact, "version": version, "packaging": packaging}
    for name, value in wanted.items():
        expect(fields[name] == value, f"{path.name}: {name} is {fields[name]!r}, expected {value!r}")


def classes(data):
    with zipfile.ZipFile(io.BytesIO(data)) as jar:
        return {n for n in jar.namelist() if n.endswith(".class")}


def check_aar(path, jar_classes, group, abi):
    with zipfile.ZipFile(path) as aar:
        names = set(aar.namelist())
        for required in ("AndroidManifest.xml", "classes.jar", f"jni/{abi}/libexposure_jni.so"):
            expect(required in names, f"{path.name}: no {required}")
        unexpected = {n for n in names if not re.match(r"^(AndroidManifest\.xml|classes\.jar|jni/.*)$", n)}
        expect(not unexpected, f"{path.name}: unexpected entries {sorted(unexpected)}")
        if "AndroidManifest.xml" in names:
            manifest = ET.fromstring(aar.read("AndroidManifest.xml"))
            expect(manifest.get("package") == group, f"AndroidManifest.xml: package {manifest.get('package')!r}")
            sdk = manifest.find("uses-sdk")
            expect(sdk is not None and sdk.get(ANDROID_NS + "minSdkVersion"), "AndroidManifest.xml: no minSdkVersion")
        if "classes.jar" in names:
            expect(classes(aar.read("classes.jar")) == jar_classes, "classes.jar differs from the jar's classes")
        libraries = {n.rsplit("/", 1)[1]: n for n in names if n.startswith(f"jni/{abi}/") and not n.endswith("/")}
        expect(sorted(n for n in names if n.startswith("jni/") and not n.endswith("/")) ==
               sorted(libraries.values()), f"{path.name}: jni/ holds folders other than {abi}")
        with tempfile.TemporaryDirectory() as tmp:
            for name, entry in libraries.items():
                file = pathlib.Path(tmp) / name
                file.write_bytes(aar.read(entry))
                header = subprocess.run(["readelf", "-h", file], capture_output=True, text=True).stdout
                expect(ELF_MACHINE.get(abi, "?") in header, f"{entry}: not an ELF library for {abi}")
            jni = pathlib.Path(tmp) / "libexposure_jni.so"
            if jni.exists():
                dynamic = subprocess.run(["readelf", "-d", jni], capture_output=True, text=True).stdout
                needed = re.findall(r"\(NEEDED\).*\[(libexposure[^\]]*)\]", dynamic)
                expect(needed, "libexposure_jni.so does not need libexposure_c")
                for library in needed:
                    expect(library in libraries, f"{path.name}: libexposure_jni.so needs {library}, not in jni/{abi}/")


def main():
    java_dir, group, version, abi = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    check_pom(java_dir / f"exposure-{version}.pom", group, "exposure", version, "jar")
    check_pom(java_dir / f"exposure-android-{version}.pom", group, "exposure-android", version, "aar")
    jar_classes = classes((java_dir / f"exposure-{version}.jar").read_bytes())
    expect("org/exposure/Exposure.class" in jar_classes, "the jar has no org/exposure/Exposure.class")
    check_aar(java_dir / f"exposure-android-{version}.aar", jar_classes, group, abi)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems in the Java artifacts of {java_dir}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
