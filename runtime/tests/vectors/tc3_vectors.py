#!/usr/bin/env python3
"""Computes TC3-HMAC-SHA256 vectors independently of the Rust code, with Python's hashlib
and hmac only, following Tencent's Signature v3 documentation step by step.

runtime/tests/signing.rs holds the printed values; rerun this to check them:
    python3 runtime/tests/vectors/tc3_vectors.py
"""
import hashlib
import hmac
import json
import time

SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3*******"


def h(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def vector(name, method, host, query, content_type, payload, service, timestamp, unsigned=False):
    hashed_payload = h(b"UNSIGNED-PAYLOAD") if unsigned else h(payload)
    canonical = "\n".join([
        method, "/", query,
        f"content-type:{content_type}\nhost:{host}\n",
        "content-type;host", hashed_payload,
    ])
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    scope = f"{date}/{service}/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{h(canonical.encode())}"
    k_date = mac(("TC3" + SECRET_KEY).encode(), date)
    k_service = hmac.new(k_date, service.encode(), hashlib.sha256).digest()
    k_signing = hmac.new(k_service, b"tc3_request", hashlib.sha256).digest()
    signature = hmac.new(k_signing, to_sign.encode(), hashlib.sha256).hexdigest()
    print(json.dumps({
        "name": name,
        "hashed_payload": hashed_payload,
        "hashed_canonical_request": h(canonical.encode()),
        "signing_key": k_signing.hex(),
        "signature": signature,
    }, indent=2))


vector("cvm-doc", "POST", "cvm.tencentcloudapi.com", "", "application/json; charset=utf-8",
       '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'.encode(),
       "cvm", 1551113065)
vector("empty-payload", "POST", "organization.intl.tencentcloudapi.com", "", "application/json",
       b"", "organization", 1700000000)
vector("non-ascii", "POST", "organization.intl.tencentcloudapi.com", "", "application/json",
       '{"Name":"未命名 ✓ 组织"}'.encode("utf-8"), "organization", 1700000000)
vector("get-query", "GET", "cvm.tencentcloudapi.com", "Limit=10&Offset=0", "application/x-www-form-urlencoded",
       b"", "cvm", 1551113065)
vector("unsigned", "POST", "cos.tencentcloudapi.com", "", "application/octet-stream",
       b"large body not hashed", "cos", 1551113065, unsigned=True)
