#!/usr/bin/env python3
"""Gives the API fuzzer real objects to work on, made the way a customer makes them, through the API.

Signed in as the administrator `scripts/fuzz.sh` created, it opens an order, uploads the eight person-a
selfies, buys Basic in the sandbox (card 4242…), waits for the headshots, and opens a team and a support
request. It prints the ids as `name=value` lines for schemathesis's `[parameters]`, so that operations
on one object answer from a real one instead of 404.

`scripts/scaleout.sh` uses its steps apart, through nginx: `pay PACKAGE` prints a paid order's id without
waiting for its headshots, `wait ORDER` waits for it and prints how many it got.
"""
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

BASE, TOKEN, FIXTURES = sys.argv[1].rstrip("/"), sys.argv[2], Path(sys.argv[3])
# `professional` makes the first order 100 headshots in 5 styles (the load test's gallery).
MODE = sys.argv[4] if len(sys.argv) > 4 else "basic"
PRESETS = {"basic": ["corporate-grey", "executive-navy"],
           "professional": ["corporate-grey", "executive-navy", "bright-white", "modern-office", "monochrome-classic"]}
API = BASE + "/api/v1"


def call(method, path, body=None, content_type="application/json", headers=None, expect=(200, 201, 202, 204)):
    data = json.dumps(body).encode() if content_type == "application/json" and body is not None else body
    request = urllib.request.Request(API + path if path.startswith("/") else path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + TOKEN)
    if data is not None:
        request.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    if status not in expect:
        sys.exit(f"seed: {method} {path} answered {status}: {payload[:300]!r}")
    return json.loads(payload) if payload[:1] in (b"{", b"[") else None


def multipart(files):
    boundary = uuid.uuid4().hex
    parts = []
    for path in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="{path.name}"\r\n'
                     f"Content-Type: image/jpeg\r\n\r\n".encode() + path.read_bytes() + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def paid_order(package="basic"):
    """An order of the person-a selfies, paid with the sandbox's 4242 card and delivered."""
    order, photos = pay(package)
    return order, photos, delivered(order)


def pay(package):
    """An order of the person-a selfies, paid with the sandbox's 4242 card; its id and its photos' ids."""
    order = call("POST", "/orders")["id"]
    body, content_type = multipart(sorted((FIXTURES / "person-a").glob("*.jpg")))
    upload = call("POST", f"/orders/{order}/photos", body, content_type=content_type)
    photos = [photo["id"] for photo in upload["photos"]]
    if not upload["readiness"]["ready"]:
        sys.exit(f"seed: the person-a set is not ready: {upload['readiness']['summary']}")

    checkout = call("POST", f"/orders/{order}/checkout", {"package": package, "presets": PRESETS[package], "consent": True})
    # The sandbox's hosted page, as a buyer's browser shows and posts it (with its cookie and CSRF token).
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(), NoRedirect)
    form = browser.open(checkout["checkout_url"], timeout=60).read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', form)
    if not csrf:
        sys.exit("seed: the sandbox page has no CSRF field")
    pay = urllib.request.Request(checkout["checkout_url"], method="POST",
                                 data=urllib.parse.urlencode({"card_number": "4242 4242 4242 4242", "_csrf": csrf.group(1)}).encode())
    try:
        browser.open(pay, timeout=60)
    except urllib.error.HTTPError as error:
        if error.code not in (302, 303):
            sys.exit(f"seed: the sandbox payment answered {error.code}: {error.read()[:300]!r}")
    return order, photos


def delivered(order):
    """Waits for the order's headshots; their ids."""
    deadline = time.time() + 300
    while True:
        status = call("GET", f"/orders/{order}/status")
        if status["status"] == "completed":
            break
        if status["status"] in ("failed", "refunded") or time.time() > deadline:
            sys.exit(f"seed: the order did not complete: {status}")
        time.sleep(0.5)
    return [headshot["id"] for headshot in call("GET", f"/orders/{order}/headshots")["headshots"]]


if MODE == "pay":
    print(pay(sys.argv[5])[0])
    sys.exit(0)
if MODE == "wait":
    print(len(delivered(sys.argv[5])))
    sys.exit(0)

order, photos, headshots = paid_order(MODE)
# A second one for the refund operations, so that a refund does not take the first one's gallery away.
refunded_order, _, _ = paid_order()

team = call("POST", "/teams", {"name": "Fuzz team"})["id"]
ticket = call("POST", "/support-tickets", {"category": "doesnt_look_like_me", "message": "The fuzzer's own request, with a headshot.",
                                           "order_id": order, "headshot_ids": headshots[:1]})["id"]
me = call("GET", "/me")["id"]

for name, value in [("orderID", order), ("photoID", photos[0]), ("assetID", headshots[0]), ("teamID", team),
                    ("ticketID", ticket), ("userID", me), ("refundOrderID", refunded_order), ("headshotCount", len(headshots))]:
    print(f"{name}={value}")
