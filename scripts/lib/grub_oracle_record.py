#!/usr/bin/env python3
"""Records what real GRUB (../shared/tools/grub-oracle) does with each GRUB tree Baton is tested on.

Each record (Tests/ConformanceTests/OracleRecords/<set>/<case>.json) says how the tree was built
("tree": folders or files mounted at paths, or a petitboot test's steps), which config ran, the
device's UUID and label, GRUB's result (entries with evaluated loader arguments, variables, what the
config printed), and which entry GRUB boots by default. The Swift conformance suite rebuilds the
same tree from that description and compares Baton's evaluation with GRUB's.
"""
import argparse, importlib.machinery, importlib.util, json, os, re, shutil, subprocess, sys
import tempfile, traceback, uuid as uuidlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(REPO), "shared")
CORPUS = os.path.join(SHARED, "corpus")
ORACLE = os.path.join(SHARED, "tools", "grub-oracle", "grub-oracle")
RECORDS = os.path.join(REPO, "Tests", "ConformanceTests", "OracleRecords")
FIXTURES = os.path.join(REPO, "Tests", "ConformanceTests", "Fixtures")
# Baton's order for finding grub.cfg (GrubConfig.searchPaths), so both sides run the same file.
SEARCH = ["boot/grub/grub.cfg", "grub/grub.cfg", "grub2/grub.cfg", "boot/grub2/grub.cfg"]
EXT4_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
NAMESPACE = uuidlib.UUID("6f1d8a34-52c1-4c8e-9a5e-0a7b1e0c2d11")


def locate(root):
    efi = os.path.join(root, "EFI")
    if os.path.isdir(efi):
        for d in sorted(os.listdir(efi)):
            if os.path.isfile(os.path.join(efi, d, "grub.cfg")):
                return "/EFI/%s/grub.cfg" % d
    for c in SEARCH:
        if os.path.isfile(os.path.join(root, c)):
            return "/" + c
    return None


def read_small(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


# ------------------------------------------------------------------ trees
def source_path(ref):
    kind, _, rel = ref.partition(":")
    return os.path.join({"corpus": CORPUS, "repo": REPO}[kind], rel)


def build_mounts(dest, mounts):
    for m in mounts:
        src = source_path(m["from"])
        at = os.path.join(dest, m["at"].lstrip("/"))
        if os.path.isdir(src):
            shutil.copytree(src, at, dirs_exist_ok=True)
        else:
            os.makedirs(os.path.dirname(at), exist_ok=True)
            shutil.copyfile(src, at)


class PetitbootCase:
    """The files a petitboot parser test puts on its own device (ctx->device), and that device's ids."""

    CTX = {"test->ctx->device", "ctx->device"}

    def __init__(self, name):
        self.name = name
        with open(os.path.join(CORPUS, "petitboot/test/parser/cases", name + ".json")) as f:
            self.case = json.load(f)
        self.files, self.dirs = {}, set()
        self.config = None
        self.uuid = self.label = None
        aliases = set(self.CTX)
        parser = os.path.join(CORPUS, "petitboot/test/parser")
        for step in self.case["steps"]:
            call, args = step.get("call"), step.get("args", [])
            target = step.get("assign_to")
            if call is None and target:
                expr = step["value"].get("expr")
                if expr in aliases:
                    aliases.add(target)
                if target.endswith("->uuid") and target[:-6] in aliases and "str" in step["value"]:
                    self.uuid = step["value"]["str"]
                if target.endswith("->label") and target[:-7] in aliases and "str" in step["value"]:
                    self.label = step["value"]["str"]
                continue
            if call in ("test_read_conf_embedded", "test_read_conf_embedded_url"):
                with open(os.path.join(parser, self.case["embedded_config"])) as f:
                    self.config = (args[1]["str"], f.read())
            elif call == "test_read_conf_file":
                with open(os.path.join(parser, "data", args[1]["str"])) as f:
                    text = f.read()
                # The file lands on the test's device; the last one read is the config.
                self.files[args[2]["str"]] = text
                self.config = (args[2]["str"], text)
            elif call in ("test_add_file_string", "test_add_file_data") and args[1].get("expr") in aliases:
                data = args[3].get("str")
                if data is not None:
                    if call == "test_add_file_data" and "int" in args[4]:
                        data = data[: args[4]["int"]]
                    self.files[args[2]["str"]] = data
            elif call == "test_add_dir" and args[1].get("expr") in aliases:
                self.dirs.add(args[2]["str"])

    def build(self, dest):
        for d in self.dirs:
            os.makedirs(os.path.join(dest, d.lstrip("/")), exist_ok=True)
        for path, text in list(self.files.items()) + [self.config]:
            p = os.path.join(dest, path.lstrip("/"))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)


# ------------------------------------------------------------------ cases
def cases():
    out = []
    for name in sorted(os.listdir(FIXTURES)):
        root = os.path.join(FIXTURES, name)
        if os.path.isdir(root) and locate(root):
            out.append({"set": "fixtures", "name": name, "config": locate(root),
                        "tree": {"mounts": [{"at": "/", "from": "repo:Tests/ConformanceTests/Fixtures/" + name}]},
                        "uuid": read_small(os.path.join(root, "UUID")), "label": read_small(os.path.join(root, "LABEL"))})
    base = "u-root/pkg/boot/grub/testdata_new"
    for name in sorted(os.listdir(os.path.join(CORPUS, base))):
        root = os.path.join(CORPUS, base, name)
        if os.path.isdir(root) and locate(root):
            out.append({"set": "u-root", "name": name, "config": locate(root),
                        "tree": {"mounts": [{"at": "/", "from": "corpus:%s/%s" % (base, name)}]},
                        "uuid": read_small(os.path.join(root, "UUID")), "label": read_small(os.path.join(root, "LABEL"))})
    base = "u-root/pkg/boot/grub/testdata"
    for name in sorted(os.listdir(os.path.join(CORPUS, base))):
        if name.endswith(".in"):
            out.append({"set": "scripts", "name": name[:-3], "config": "/boot/grub/grub.cfg",
                        "tree": {"mounts": [{"at": "/boot/grub/grub.cfg", "from": "corpus:%s/%s" % (base, name)}]}})
    cases_dir = os.path.join(CORPUS, "petitboot/test/parser/cases")
    for fn in sorted(os.listdir(cases_dir)):
        name = fn[:-5]
        if not (name.startswith("test-grub2-") or name == "test-unresolved-remove") or not fn.endswith(".json"):
            continue
        pb = PetitbootCase(name)
        if pb.config is None or "\0" in pb.config[1]:
            continue
        out.append({"set": "petitboot", "name": name, "config": pb.config[0], "tree": {"petitboot": name},
                    "uuid": pb.uuid, "label": pb.label})
    di = "debian-installer-12/debian-installer/amd64/grub"
    out.append({"set": "debian", "name": "installer-12", "config": "/boot/grub/grub.cfg",
                "tree": {"mounts": [{"at": "/boot/grub", "from": "corpus:" + di}]}})
    out.append({"set": "debian", "name": "installer-12-efi", "config": "/boot/grub/x86_64-efi/grub.cfg", "platform": "efi",
                "tree": {"mounts": [{"at": "/boot/grub", "from": "corpus:" + di}]}})
    out.append({"set": "debian", "name": "live-build-grub-pc", "config": "/boot/grub/grub.cfg",
                "tree": {"mounts": [{"at": "/boot/grub", "from": "corpus:debian-live-build/grub-pc"}]}})
    out.append({"set": "debian", "name": "live-build-grub-pc-efi", "config": "/boot/grub/grub.cfg", "platform": "efi",
                "tree": {"mounts": [{"at": "/boot/grub", "from": "corpus:debian-live-build/grub-pc"}]}})
    return out


# ------------------------------------------------------------------ oracle
def load_oracle():
    loader = importlib.machinery.SourceFileLoader("grub_oracle", ORACLE)
    spec = importlib.util.spec_from_loader("grub_oracle", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def default_boot(mod, tree, case, uuid, jobs):
    """Which entry GRUB itself boots by default: the config's own default, timeout 0, the two
    sentinel entries moved after the config's entries (so index defaults keep their meaning)."""

    class DefaultBoot(mod.Oracle):
        def prelude(self):
            lines = super().prelude()
            sentinels = [l for l in lines if l.startswith('menuentry "@@')]
            lines = [l for l in lines if not l.startswith('menuentry "@@')]
            at = next(i for i, l in enumerate(lines) if l.startswith("source "))
            return lines[: at + 1] + sentinels + lines[at + 1:]

    a = argparse.Namespace(dir=tree, config=case["config"], uuid=uuid, label=case.get("label"),
                           platform=case.get("platform", "pc"), set=None, jobs=jobs, max_entries=500,
                           run_timeout=60.0, width=2000, height=300, grub_emu="grub-emu",
                           moddir="/usr/lib/grub/x86_64-emu", mkfs="mkfs.ext4", keep=False, requested_uuid=None)
    o = DefaultBoot(a)
    try:
        o.build_image()
        ok, lines = o.run_emu(["set timeout=0", 'set fallback="@@END"'])
        r = o.parse(lines)
    finally:
        o.cleanup()
    # "@@OOR" in the path: GRUB chose an index past the config's entries (a real menu would boot entry 0).
    return {"path": r["booting"], "finished": ok}


def record(case, mod, jobs):
    work = tempfile.mkdtemp(prefix="baton-oracle.")
    try:
        tree = os.path.join(work, "tree")
        os.makedirs(tree)
        if "petitboot" in case["tree"]:
            PetitbootCase(case["tree"]["petitboot"]).build(tree)
        else:
            build_mounts(tree, case["tree"]["mounts"])
        requested = case.get("uuid")
        uuid = requested if requested and EXT4_UUID.match(requested) else str(uuidlib.uuid5(NAMESPACE, case["set"] + "/" + case["name"]))
        cmd = [ORACLE, "--jobs", str(jobs), "--run-timeout", "60", "--uuid", uuid,
               "--platform", case.get("platform", "pc")]
        if case.get("label"):
            cmd += ["--label", case["label"]]
        r = subprocess.run(cmd + [tree, case["config"]], capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            raise RuntimeError("grub-oracle failed: " + r.stderr.strip()[-2000:])
        result = json.loads(r.stdout)
        result.pop("stats", None)
        for key in ("uuid", "requested_uuid", "config", "platform"):
            result.pop(key, None)
        for e in result.get("entries", []):
            e.pop("tail", None)
        rec = {"source": {"tree": case["tree"], "config": case["config"], "uuid": uuid, "requested_uuid": requested,
                          "label": case.get("label"), "platform": case.get("platform", "pc")},
               "oracle": result, "default_boot": default_boot(mod, tree, case, uuid, jobs)}
        out = os.path.join(RECORDS, case["set"], case["name"] + ".json")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w") as f:
            json.dump(rec, f, indent=1, ensure_ascii=False, sort_keys=True)
            f.write("\n")
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", action="append", help="record only cases whose set/name contains this")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--list", action="store_true")
    a = p.parse_args()
    if not os.path.isdir(CORPUS):
        sys.exit("error: the shared corpus is missing at " + CORPUS)
    todo = [c for c in cases() if not a.only or any(s in c["set"] + "/" + c["name"] for s in a.only)]
    if a.list:
        for c in todo:
            print(c["set"] + "/" + c["name"])
        return
    mod = load_oracle()
    written = failed = 0
    for c in todo:
        try:
            out = record(c, mod, a.jobs)
            written += 1
            print("recorded " + os.path.relpath(out, REPO), file=sys.stderr)
        except Exception as e:  # one bad tree must not stop the others
            failed += 1
            print("FAILED %s/%s: %s" % (c["set"], c["name"], e), file=sys.stderr)
            if os.environ.get("GRUB_ORACLE_DEBUG"):
                traceback.print_exc()
    print("%d records written, %d failed" % (written, failed))


if __name__ == "__main__":
    main()
