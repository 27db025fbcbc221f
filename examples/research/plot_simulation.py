"""Runs the city simulator (docs/simulator.md), loads its report.json and draws it with matplotlib.

    python3 plot_simulation.py [--simulator PATH] [--devices 60] [--days 3] [--seed 1] [--out DIR]

The simulator is `exposure-simulate` from --simulator, else $EXPOSURE_SIMULATE, else PATH, else
the default build's. It starts its own exposure-server, so it needs exposure-server beside it.
Writes DIR/report.json (the simulator's) and three PNG files:

  notifications.png     per risk configuration, API and platform: close contacts notified
                        (true positives), missed (false negatives) and other devices notified
                        (false positives)
  precision-recall.png  precision and recall of the same evaluations
  contacts.png          the simulated city's contacts by kind, and the notification delay
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def find_simulator(given):
    here = pathlib.Path(__file__).resolve().parent
    for candidate in (given, os.environ.get("EXPOSURE_SIMULATE"), shutil.which("exposure-simulate"),
                      here.parent.parent / "build" / "default" / "bin" / "exposure-simulate"):
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    sys.exit("plot_simulation: no exposure-simulate (give --simulator or set EXPOSURE_SIMULATE)")


def label(evaluation):
    return f"{evaluation['config']}\n{evaluation['api']} {evaluation['platform']}"


def plot_notifications(evaluations, path):
    names = [label(e) for e in evaluations]
    tp = [e["true_positives"] for e in evaluations]
    fn = [e["false_negatives"] for e in evaluations]
    fp = [e["false_positives"] for e in evaluations]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.bar(names, tp, label="close contacts notified", color="tab:green")
    ax.bar(names, fn, bottom=tp, label="close contacts missed", color="tab:red")
    ax.bar(names, fp, bottom=[a + b for a, b in zip(tp, fn)], label="others notified", color="tab:gray")
    ax.set_ylabel("devices")
    ax.set_title("Who was notified")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_precision_recall(evaluations, path):
    names = [label(e) for e in evaluations]
    x = range(len(names))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.bar([i - 0.2 for i in x], [e["precision"] for e in evaluations], width=0.4, label="precision")
    ax.bar([i + 0.2 for i in x], [e["recall"] for e in evaluations], width=0.4, label="recall")
    ax.set_xticks(list(x), names)
    ax.set_ylim(0, 1.05)
    ax.set_title("Precision and recall of notifications (close contact: 15 min at 2 m or closer)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_contacts(report, path):
    contacts = report["population"]["contacts"]
    evaluations = [e for e in report["evaluations"] if e["notified"] > 0]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5))
    left.bar(list(contacts), list(contacts.values()), color="tab:blue")
    left.set_ylabel("contacts")
    left.set_title(f"Contacts of {report['population']['devices']} devices, {report['parameters']['days']} days")
    medians = [e["delay_hours"]["median"] for e in evaluations]
    right.barh([label(e) for e in evaluations], medians, color="tab:orange", label="median")
    right.errorbar([e["delay_hours"]["max"] for e in evaluations], range(len(evaluations)), fmt="k|",
                   markersize=12, label="max")
    right.set_xlabel("hours from the test to the notification")
    right.set_title("Notification delay")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--simulator", help="path of exposure-simulate")
    parser.add_argument("--devices", type=int, default=60)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="simulation", help="output directory (default: simulation)")
    args = parser.parse_args()

    out = pathlib.Path(args.out)
    subprocess.run([find_simulator(args.simulator), "--devices", str(args.devices), "--days", str(args.days),
                    "--seed", str(args.seed), "--out", str(out), "--quiet"], check=True)
    report = json.loads((out / "report.json").read_text())
    evaluations = report["evaluations"]
    if not evaluations:
        sys.exit(f"plot_simulation: {out / 'report.json'} has no evaluations")

    plot_notifications(evaluations, out / "notifications.png")
    plot_precision_recall(evaluations, out / "precision-recall.png")
    plot_contacts(report, out / "contacts.png")
    population = report["population"]
    print(f"{population['devices']} devices, {population['positives']} positives, "
          f"{population['close_contacts']} close contacts")
    for e in evaluations:
        print(f"{e['config']} {e['api']} {e['platform']}: notified {e['notified']}, "
              f"precision {e['precision']:.3f}, recall {e['recall']:.3f}")
    print(f"plots in {out}: notifications.png, precision-recall.png, contacts.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
