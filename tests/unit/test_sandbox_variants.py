"""A threshold may pin any variant of its source (`sourceVariantId`), not only the Default a
definition response names as `variantId`; a variant of another metric is refused."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.sandbox import catalog

EFFORT = "/v1/metric/definitions/user_effort_score"


def body(variant: str) -> dict[str, Any]:
    return {
        "operator": "LESS_THAN_OR_EQUALS",
        "value": "3",
        "name": "Easy",
        "sourceVariantId": variant,
    }


@pytest.mark.parametrize("index", [0, 1, 2])
async def test_every_variant_of_the_source_is_taken(sandbox_http: Any, index: int) -> None:
    variants = catalog.variant_ids(catalog.by_slug("user_effort_score"))
    assert len(variants) == 3 and variants[0] == catalog.by_slug("user_effort_score")["variantId"]
    made = await sandbox_http.post(f"{EFFORT}/thresholds", json=body(variants[index]))
    assert made.status_code == 201, made.text
    assert made.json()["data"]["threshold"]["sourceVariantId"] == variants[index]


async def test_a_variant_of_another_metric_is_refused(sandbox_http: Any) -> None:
    elsewhere = catalog.variant_ids(catalog.by_slug("empathy_score"))[1]
    refused = await sandbox_http.post(f"{EFFORT}/thresholds", json=body(elsewhere))
    assert refused.status_code == 400 and refused.json()["parameter"] == "sourceVariantId"


async def test_named_variants_are_not_served(sandbox_http: Any) -> None:
    served = (await sandbox_http.get(EFFORT)).json()["data"]
    assert "variants" not in served and served["variantId"] == catalog.variant_ids(served)[0]
