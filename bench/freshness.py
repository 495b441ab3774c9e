#!/usr/bin/env python3
"""How long an edit takes to become searchable, end to end through a running server.

Signs in as the demo SME's admin, creates an API token, then N times: saves the profile with a
fresh nonsense word (PUT /api/v1/organisations/{id}/profile) and polls GET /api/v1/search for that
word every 5 ms until the SME is found. Prints min / p50 / p95 / max in milliseconds.
usage: bench/freshness.py BASE_URL [N]   (a server started with `passerelle serve --demo`)
"""
import http.cookiejar, json, random, re, string, sys, time, urllib.parse, urllib.request

base = sys.argv[1].rstrip("/")
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 50
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

def csrf():
    return next(c.value for c in jar if c.name == "passerelle_csrf")

def form(path, fields):
    data = urllib.parse.urlencode({**fields, "csrf_token": csrf()}).encode()
    return opener.open(urllib.request.Request(base + path, data=data)).read().decode()

opener.open(base + "/login").read()
form("/login", {"email": "dirigeant@pme-demo.fr", "password": "demo-passerelle", "next": "/"})
page = form("/account/tokens", {"name": "freshness-%d" % time.time()})
token = re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)

def api(method, path, body=None):
    request = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request).read() or b"null")

sme = api("GET", "/api/v1/search?q=" + urllib.parse.quote("Usinage Titane Occitanie"))["hits"][0]["organisation_id"]
profile = api("GET", "/api/v1/organisations/%d/profile" % sme)["profile"]
samples = []
for _ in range(rounds):
    word = "zq" + "".join(random.choice(string.ascii_lowercase) for _ in range(10))
    profile["presentation"] = {"value": "Atelier " + word, "visibility": "public"}
    start = time.perf_counter()
    api("PUT", "/api/v1/organisations/%d/profile" % sme, profile)
    while api("GET", "/api/v1/search?q=" + word)["total"] == 0:
        time.sleep(0.005)
    samples.append((time.perf_counter() - start) * 1000)
samples.sort()
pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
print("edit -> searchable over %d edits: min %.1f ms, p50 %.1f ms, p95 %.1f ms, max %.1f ms"
      % (len(samples), samples[0], pick(0.5), pick(0.95), samples[-1]))
