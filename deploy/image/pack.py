#!/usr/bin/env python3
"""Writes a single-layer container image as a `docker save` archive, without a daemon.

    pack.py --tag NAME:TAG --out FILE.tar [--user UID:GID] [--entrypoint PATH ...]
            [--env NAME=VALUE ...] [--add SRC:DEST ...] [--symlink TARGET:LINK ...]

`--add` copies a file, or a folder recursively, to DEST in the image. The layer is reproducible:
entries sorted, owned by root, dated at the epoch. `docker load` and `ctr images import` both read
the archive, and `docker push` / `crane push` can publish it to a registry.
"""
import argparse
import hashlib
import io
import json
import os
import sys
import tarfile


def parse_pairs(values, what):
    pairs = []
    for value in values:
        source, sep, dest = value.partition(":")
        if not sep or not source or not dest.startswith("/"):
            sys.exit(f"pack.py: {what} {value!r} is not SOURCE:/ABSOLUTE/DEST")
        pairs.append((source, dest.lstrip("/")))
    return pairs


def entry(name, kind, mode, size=0, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.size, info.linkname = kind, mode, size, link
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = 0
    return info


def layer_bytes(adds, symlinks):
    files = {}  # name in the image -> path on disk
    for source, dest in adds:
        if os.path.isdir(source):
            for folder, _, names in os.walk(source):
                for name in names:
                    path = os.path.join(folder, name)
                    files[os.path.join(dest, os.path.relpath(path, source))] = path
        elif os.path.isfile(source):
            files[dest] = source
        else:
            sys.exit(f"pack.py: {source} does not exist")
    links = dict((link, target) for target, link in symlinks)
    for name in set(links) & set(files):
        sys.exit(f"pack.py: /{name} is both a file and a symlink")
    folders = set()
    for name in list(files) + list(links):
        parent = os.path.dirname(name)
        while parent:
            folders.add(parent)
            parent = os.path.dirname(parent)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(folders | set(files) | set(links)):
            if name in folders:
                tar.addfile(entry(name + "/", tarfile.DIRTYPE, 0o755))
            elif name in links:
                tar.addfile(entry(name, tarfile.SYMTYPE, 0o777, link=links[name]))
            else:
                path = files[name]
                mode = 0o755 if os.access(path, os.X_OK) else 0o644
                with open(path, "rb") as data:
                    tar.addfile(entry(name, tarfile.REGTYPE, mode, os.path.getsize(path)), data)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--user", default="")
    parser.add_argument("--entrypoint", nargs="+", default=[])
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--add", action="append", default=[])
    parser.add_argument("--symlink", action="append", default=[])
    args = parser.parse_args()

    layer = layer_bytes(parse_pairs(args.add, "--add"), parse_pairs(args.symlink, "--symlink"))
    layer_digest = hashlib.sha256(layer).hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "created": "1970-01-01T00:00:00Z",
            "config": {
                "User": args.user,
                "Entrypoint": args.entrypoint,
                "Env": ["PATH=/bin"] + args.env,
                "WorkingDir": "/",
            },
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{layer_digest}"]},
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "deploy/image/pack.py"}],
        },
        sort_keys=True,
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps(
        [{"Config": config_name, "RepoTags": [args.tag], "Layers": [f"{layer_digest}/layer.tar"]}]
    ).encode()

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    partial = args.out + ".partial"
    with tarfile.open(partial, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(entry(f"{layer_digest}/", tarfile.DIRTYPE, 0o755))
        for name, data in [
            (f"{layer_digest}/layer.tar", layer),
            (config_name, config),
            ("manifest.json", manifest),
        ]:
            tar.addfile(entry(name, tarfile.REGTYPE, 0o644, len(data)), io.BytesIO(data))
    os.replace(partial, args.out)
    print(f"{args.tag}: {len(layer) / 1e6:.1f} MB layer, sha256:{layer_digest[:12]} -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
