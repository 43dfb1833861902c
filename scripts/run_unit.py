#!/usr/bin/env python3
"""Run a systemd service unit as systemd would, on a machine where systemd is not PID 1 (a container).

    python3 scripts/run_unit.py /etc/systemd/system/revive-backup.service          # a oneshot: waits
    python3 scripts/run_unit.py /etc/systemd/system/revive.service --log F --pid P   # a service: starts it

Read from the installed unit file, not copied: User=, Group= (and the user's other groups), UMask=,
WorkingDirectory=, EnvironmentFile= (read as root, as systemd reads it; the service gets only the
variables systemd gives it: PATH, HOME, USER, LOGNAME, SHELL and the file's), NoNewPrivileges=,
ExecStart= (continuation lines joined, quotes and `%%` as systemd reads them) and, for Type=oneshot,
each ExecStartPost= after it. Not done here, and said so: PrivateTmp=, Restart=, ExecReload=, the
[Install] section (enabling) and timers. Used by scripts/deploy_check.sh; exits with the command's code.
"""

import argparse
import ctypes
import grp
import os
import pwd
import shlex
import subprocess
import sys

APPLIED = {"User", "Group", "UMask", "WorkingDirectory", "EnvironmentFile", "NoNewPrivileges", "ExecStart",
           "ExecStartPost", "Type"}  # fmt: skip
# systemd 252's default PATH for services (src/basic/path-util.h, DEFAULT_PATH_NORMAL).
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"


def read_unit(path: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    pending = ""
    for raw in open(path, encoding="utf-8").read().splitlines():
        line = pending + raw.strip() if pending else raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif current is not None and "=" in line:
            key, value = line.split("=", 1)
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


def read_environment_file(path: str) -> dict[str, str]:
    """KEY=VALUE lines; quotes around a value are removed; # and ; start comments (systemd.exec(5))."""
    env = {}
    for raw in open(path, encoding="utf-8").read().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;" or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def command_line(value: str) -> tuple[list[str], bool]:
    """ExecStart= words and whether a failure is ignored (the `-` prefix); `%%` is a literal `%`."""
    ignore = value.startswith("-")
    words = shlex.split(value.lstrip("-@+!:"))
    return [w.replace("%%", "%") for w in words], ignore


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("unit")
    parser.add_argument("--log", help="where the service's output goes (the journal's stand-in)")
    parser.add_argument("--pid", help="a long-running service: start it, write its PID here and return")
    args = parser.parse_args()

    unit = read_unit(args.unit)
    service = unit.get("Service", {})
    one = {k: v[-1] for k, v in service.items()}
    ignored = sorted(set(service) - APPLIED)
    print(f"{args.unit}: applying {', '.join(sorted(set(service) & APPLIED))}"
          + (f"; not applied here: {', '.join(ignored)}" if ignored else ""))  # fmt: skip

    user = pwd.getpwnam(one["User"]) if "User" in one else pwd.getpwuid(0)
    gid = grp.getgrnam(one["Group"]).gr_gid if "Group" in one else user.pw_gid
    env = {"PATH": DEFAULT_PATH, "HOME": user.pw_dir, "USER": user.pw_name, "LOGNAME": user.pw_name,
           "SHELL": user.pw_shell}  # fmt: skip
    for path in service.get("EnvironmentFile", []):
        optional = path.startswith("-")
        if optional and not os.path.exists(path[1:]):
            continue
        env.update(read_environment_file(path.lstrip("-")))
    umask = int(one.get("UMask", "0022"), 8)
    workdir = one.get("WorkingDirectory", user.pw_dir if "User" in one else "/")
    no_new_privileges = one.get("NoNewPrivileges", "no").lower() in ("yes", "true", "1", "on")

    def become():  # in the child, before exec: what systemd sets up for the service's processes
        os.setgroups(os.getgrouplist(user.pw_name, gid))
        os.setgid(gid)
        os.setuid(user.pw_uid)
        os.umask(umask)
        os.chdir(workdir)
        if no_new_privileges:
            ctypes.CDLL(None, use_errno=True).prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS

    out = open(args.log, "ab") if args.log else None
    if args.pid:  # Type=simple: the service runs on; Restart= is not emulated
        words, _ignore = command_line(one["ExecStart"])
        child = subprocess.Popen(words, env=env, preexec_fn=become, stdin=subprocess.DEVNULL, stdout=out,
                                 stderr=subprocess.STDOUT if out else None, start_new_session=True)  # fmt: skip
        with open(args.pid, "w") as f:
            f.write(f"{child.pid}\n")
        print(f"started as {user.pw_name} (pid {child.pid}): {shlex.join(words)}")
        return 0
    if one.get("Type", "simple") != "oneshot":
        print("a long-running service needs --pid", file=sys.stderr)
        return 2
    for value in service.get("ExecStart", []) + service.get("ExecStartPost", []):
        words, ignore = command_line(value)
        print(f"running as {user.pw_name}: {shlex.join(words)}", flush=True)
        code = subprocess.run(words, env=env, preexec_fn=become, stdin=subprocess.DEVNULL, stdout=out,
                              stderr=subprocess.STDOUT if out else None).returncode  # fmt: skip
        if code and not ignore:
            print(f"exit code {code}", file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
