"""Transforms SAM templates with AWS's own translator (aws-sam-translator), offline.

Usage: python3 sam_translate.py OUT_DIR TEMPLATE...
Writes OUT_DIR/<name>.json for each template: the transformed CloudFormation template, or {"transformError": "..."}
when the translator refuses it. No AWS call is made: the region and partition are fixed (us-east-1, aws) and the
managed policy map is a stand-in, as the translator's own tests do (tests/translator/test_translator.py).
"""

import json
import sys
from pathlib import Path
from unittest.mock import patch

from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

REGION = "us-east-1"


class PolicyLoader:
    """The managed policies a Function's default role names, without calling IAM."""

    def load(self):
        return {
            "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "AWSLambdaRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
            "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            "AWSXRayDaemonWriteAccess": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
        }


def translate(path: Path) -> dict:
    with path.open() as handle:
        template = yaml_parse(handle)
    with patch("boto3.session.Session.region_name", REGION), patch(
        "samtranslator.translator.arn_generator._get_region_from_session", return_value=REGION
    ):
        try:
            return transform(template, {}, PolicyLoader())
        except InvalidDocumentException as error:
            return {"transformError": " ".join(cause.message for cause in error.causes)}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name in sys.argv[2:]:
        path = Path(name)
        result = translate(path)
        (out / f"{path.stem}.json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
