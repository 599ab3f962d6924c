"""Operations endpoints: liveness, readiness, Prometheus metrics, snapshot header, access log."""

from __future__ import annotations

import json
import logging
from urllib.parse import quote


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data() == b"ok\n"


def test_readyz_reports_the_snapshot(client, snapshot):
    body = json.loads(client.get("/readyz").get_data())
    assert body["ready"] is True
    assert body["snapshot"] == snapshot.manifest.hash
    assert body["built_at"] == snapshot.manifest.built_at


def test_every_response_names_its_snapshot(client, snapshot):
    assert client.get("/healthz").headers["X-Snapshot"] == snapshot.manifest.short_hash


def test_metrics_in_prometheus_text_format(client):
    client.get("/sparql?query=" + quote("ASK {}"))
    client.get("/sparql?query=SELEC")
    response = client.get("/metrics")
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "# TYPE veikart_requests_total counter" in text
    assert 'endpoint="sparql",status="200"' in text
    assert 'veikart_queries_rejected_total{' in text
    assert "veikart_request_duration_seconds_bucket" in text
    assert "veikart_snapshot_info{" in text
    for line in text.splitlines():
        assert line.startswith("#") or " " in line


def test_access_log_is_json_with_truncated_query(client, caplog):
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1000
    with caplog.at_level(logging.INFO, logger="veikart_graph.access"):
        client.get("/sparql?query=" + quote(long_query))
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "veikart_graph.access"]
    assert records and records[-1]["endpoint"] == "sparql"
    assert len(records[-1]["query"]) == 200
    assert isinstance(records[-1]["ms"], float)


def test_metrics_are_refused_outside_the_monitoring_networks(client):
    """Issue 16, finding 9: /metrics is not public; the default allows loopback only."""
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert response.status_code == 403
    assert "metrics_allow" in response.get_data(as_text=True)
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
