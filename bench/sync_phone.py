#!/usr/bin/env python3
"""Phones working a shift offline, then syncing it to a running safeloop (used by bench/sync.sh).

Each phone: uploads its photos by content hash (HEAD first, then POST /files), its videos as resumable
chunked uploads, sends its outbox to POST /sync (15 hazard reports with 10 photos each, then for three of
them accept + rectification with an after photo and the video as evidence) and downloads GET /sync/changes.
Every phone's files are distinct (a JPEG comment / the video's writing-app field carries the phone number),
so nothing is deduplicated across phones. Prints one JSON line: wall time, the phones' own CPU time (to show
they are not the bottleneck on a machine they share with the server), bytes, per-phone times, errors.
"""
import argparse
import hashlib
import http.client
import json
import sys
import threading
import time
import uuid

CHUNK = 4 << 20
HAZARDS = 15
PHOTOS_PER_HAZARD = 10
RECTIFIED = 3


def jpeg_variant(base, tag):
    comment = tag.encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return base[:2] + segment + base[2:]


def video_variant(base, number):
    marker = b"safeloop-bench-0000000000"
    return base.replace(marker, b"safeloop-bench-" + b"%010d" % number, 1)


class Phone:
    def __init__(self, host, port, login, password):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=600)
        self.token = None
        self.sent = 0
        status, body = self.request("POST", "/api/v1/auth/login", json.dumps({"login": login, "password": password}))
        if status != 200:
            raise RuntimeError(f"login {login}: {status} {body[:200]}")
        self.token = json.loads(body)["token"]
        self.sent = 0
        self.device = str(uuid.uuid4())

    def request(self, method, path, body=None, content_type="application/json", headers=None):
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if body is not None:
            h["Content-Type"] = content_type
            if isinstance(body, str):
                body = body.encode()
            self.sent += len(body)
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def upload_photo(self, data, sha):
        status, _ = self.request("HEAD", "/api/v1/files/" + sha)
        if status == 200:
            return sha
        status, body = self.request("POST", "/api/v1/files", data, "image/jpeg")
        if status not in (200, 201):
            raise RuntimeError(f"photo upload: {status} {body[:200]}")
        return sha

    def upload_video(self, data, sha):
        status, body = self.request(
            "POST", "/api/v1/files/uploads",
            json.dumps({"sha256": sha, "size": len(data), "content_type": "video/x-matroska"}))
        if status not in (200, 201):
            raise RuntimeError(f"upload start: {status} {body[:200]}")
        session = json.loads(body)
        while not session["complete"]:
            first = session["received"]
            last = min(first + CHUNK, len(data)) - 1
            status, body = self.request(
                "PUT", "/api/v1/files/uploads/" + session["upload_id"], memoryview(data)[first:last + 1],
                "application/octet-stream", {"Content-Range": f"bytes {first}-{last}/{len(data)}"})
            if status not in (200, 201):
                raise RuntimeError(f"chunk: {status} {body[:200]}")
            session = json.loads(body)
        return sha

    def sync(self, mutations):
        results = []
        for start in range(0, len(mutations), 500):
            batch = {"device_id": self.device, "mutations": mutations[start:start + 500]}
            status, body = self.request("POST", "/api/v1/sync", json.dumps(batch))
            if status != 200:
                raise RuntimeError(f"sync: {status} {body[:300]}")
            results += json.loads(body)["results"]
        return results

    def changes(self):
        cursor, count = "", 0
        while True:
            status, body = self.request("GET", "/api/v1/sync/changes?limit=200" + ("&cursor=" + cursor if cursor else ""))
            if status != 200:
                raise RuntimeError(f"changes: {status} {body[:200]}")
            page = json.loads(body)
            count += len(page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return count


def shift_files(number, photos, video, videos):
    """A phone's photos and videos as its outbox holds them when the network returns: bytes and SHA-256."""
    def with_hash(data):
        return data, hashlib.sha256(data).hexdigest()
    return ([with_hash(jpeg_variant(photos[i % len(photos)], f"phone {number} photo {i}"))
             for i in range(HAZARDS * PHOTOS_PER_HAZARD)],
            [with_hash(video_variant(video, number * 10 + v)) for v in range(videos)])


def shift(phone, number, files):
    stamp = "2026-11-28T%02d:%02d:00+08:00"
    started = time.monotonic()
    photo_files, video_files = files
    photo_ids = [phone.upload_photo(data, sha) for data, sha in photo_files]
    video_ids = [phone.upload_video(data, sha) for data, sha in video_files]
    uploaded = time.monotonic()
    hazard_ids = [str(uuid.uuid4()) for _ in range(HAZARDS)]
    mutations = []
    for i, hid in enumerate(hazard_ids):
        mutations.append({"id": str(uuid.uuid4()), "type": "hazard.create", "created_at": stamp % (8 + i // 2, i % 60),
                          "payload": {"id": hid, "title": f"离线隐患 {number}-{i}", "description": "班中巡查发现",
                                      "category": "电气", "grade": "blue",
                                      "photos": photo_ids[i * PHOTOS_PER_HAZARD:(i + 1) * PHOTOS_PER_HAZARD],
                                      "position": {"lat": 30.03, "lng": 120.58, "accuracy_m": 8}}})
    for k in range(min(RECTIFIED, len(video_ids))):
        hid = hazard_ids[k]
        mutations.append({"id": str(uuid.uuid4()), "type": "hazard.accept", "created_at": stamp % (15, k),
                          "payload": {"hazard_id": hid, "assignment_no": 1}})
        mutations.append({"id": str(uuid.uuid4()), "type": "hazard.rectify", "created_at": stamp % (15, 30 + k),
                          "payload": {"hazard_id": hid, "assignment_no": 1, "note": "已整改",
                                      "evidence": [{"kind": "after_photo", "file_id": photo_ids[k]},
                                                   {"kind": "operator_video", "file_id": video_ids[k]}]}})
    results = phone.sync(mutations)
    synced = time.monotonic()
    changes = phone.changes()
    done = time.monotonic()
    bad = [r for r in results if r["status"] not in ("applied", "duplicate")]
    return {"upload_s": uploaded - started, "sync_s": synced - uploaded, "changes_s": done - synced,
            "total_s": done - started, "mutations": len(mutations), "rejected": bad[:3], "rejected_count": len(bad),
            "changes": changes, "bytes": phone.sent}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--phones", type=int, default=1)
    ap.add_argument("--first", type=int, default=0, help="number of the first phone (distinct files per run)")
    ap.add_argument("--login", default="leader1")
    ap.add_argument("--videos", type=int, default=3)
    ap.add_argument("--photos", nargs="+", required=True)
    ap.add_argument("--video", required=True)
    ap.add_argument("--ready", help="file to write once every phone is signed in (CPU measurement starts)")
    ap.add_argument("--go", help="file to wait for before starting")
    args = ap.parse_args()
    photos = [open(p, "rb").read() for p in args.photos]
    video = open(args.video, "rb").read()
    phones = [Phone("127.0.0.1", args.port, args.login, "demo-2026") for _ in range(args.phones)]
    # Each phone's files are made and hashed before the start: on a real phone that is its own CPU's work (the
    # photo was taken hours before), not the server machine's; the CPU it took is reported as prepare_cpu_s.
    prepare_before = time.process_time()
    files = [shift_files(args.first + i, photos, video, args.videos) for i in range(len(phones))]
    prepare_cpu = time.process_time() - prepare_before
    if args.ready:
        open(args.ready, "w").write("ready\n")
    if args.go:
        while True:
            try:
                open(args.go).close()
                break
            except FileNotFoundError:
                time.sleep(0.01)
    out = [None] * len(phones)
    errors = []

    def run(i):
        try:
            out[i] = shift(phones[i], args.first + i, files[i])
        except Exception as e:  # reported, never swallowed
            errors.append(f"phone {i}: {e}")

    started = time.monotonic()
    cpu_before = time.process_time()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(phones))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    cpu = time.process_time() - cpu_before
    done = [o for o in out if o]
    print(json.dumps({
        "phones": len(phones), "wall_s": wall, "cpu_s": cpu, "prepare_cpu_s": prepare_cpu, "errors": errors,
        "rejected": sum(o["rejected_count"] for o in done), "rejected_sample": [r for o in done for r in o["rejected"]][:3],
        "mutations": sum(o["mutations"] for o in done), "bytes": sum(o["bytes"] for o in done),
        "changes": sum(o["changes"] for o in done),
        "phone_total_s_max": max((o["total_s"] for o in done), default=0),
        "upload_s_max": max((o["upload_s"] for o in done), default=0),
        "sync_s_max": max((o["sync_s"] for o in done), default=0),
        "changes_s_max": max((o["changes_s"] for o in done), default=0),
    }, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
