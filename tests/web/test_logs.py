import logging

import pytest

from coachdesk.web.logs import RedactSecrets


def test_setup_tokens_never_reach_the_access_log(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.access")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1",
            "GET",
            "/coach/setup/XrV-Gu6sZkqzVSJXnUtb?x=1",
            "1.1",
            200,
        )
    assert "XrV-Gu6sZkqzVSJXnUtb" not in caplog.text
    assert "/coach/setup/[redacted]?x=1" in caplog.text
