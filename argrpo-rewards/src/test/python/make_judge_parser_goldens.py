#!/usr/bin/python3
"""What AR-GRPO's judge parsing makes of a set of replies (argrpo-rewards JudgeReplyParserTest).

AR-GRPO (reward_utils/qwen_vl_reward.py, json_repair==0.47.3 pinned in its requirements) reads a reply as:
the group of re.search(r"```json\\n(.*?)\\n```", out, re.S) if it matches, else the whole text; .strip();
json_repair.repair_json; json.loads; float(res["score"]). Any exception is a failure (retried, then 0).

json_repair is not installed here: fetch github mangiucugna/json_repair, extract tag v0.47.3's src/ and pass it:

    /usr/bin/python3 argrpo-rewards/src/test/python/make_judge_parser_goldens.py /tmp/json_repair-0.47.3/src

Writes argrpo-rewards/src/test/resources/goldens/judge_replies.json: [{"reply": ..., "score": number|null}].
"""
import json
import os
import re
import sys

sys.path.insert(0, sys.argv[1])
import json_repair  # noqa: E402

REPLIES = [
    # the prompts' own examples and what models copy from them
    "```json\n{\n\"description\": \"The image shows a brown dog with one eye.\",\n\"score\": 3.5,\n"
    "\"explanation\": \"So the total score of this image is 1+1+0+0.5+1=3.5 .'\"\n}\n```",
    "```json\n{\n    \"score\": 0,\n}\n```",
    "{\"score\": 1,}",
    "```json\n{\n  \"score\": 1\n}",
    "```\n{\"score\": 2.25}\n```",
    "{'score': 4.5, 'explanation': 'ok'}",
    "{score: 2}",
    "Sure! Here is my assessment:\n{\"description\": \"a cat\", \"score\": 4}\nHope this helps.",
    "Here you go: ```json\n{\"score\": 1}\n``` Let me know.",
    # cut off by max_tokens after the score, and before it
    "```json\n{\n\"description\": \"A goldfish in a bowl, orange, with \\\"fins\\\"\",\n\"score\": 4,\n"
    "\"explanation\": \"The fish matches the prompt (1 score). The image is compl",
    "```json\n{\n\"description\": \"A goldfish in a bowl, orange, with long fins and a small castle behind it, the",
    "{\"score\": \"3.5\"}",
    "{\"description\": \"5 dogs, 2 cats\", \"score\": 1.5, \"explanation\": \"1+0.5\"}",
    "{\n // my verdict\n \"description\": \"line one\nline two\",\n \"score\": 3\n}",
    "{\"Score\": 3}",
    "{\"result\": {\"score\": 2}}",
    "4",
    "The score is 4.",
    "score: 3.5",
    "I cannot judge this image.",
    "{\"description\": \"a dog\"}",
    "{\"score\": \"high\"}",
    "```json\n```",
    "yes",
]


def reference(out):
    try:
        m = re.search(r"```json\n(.*?)\n```", out, re.S)
        text = (m.group(1) if m else out).strip()
        res = json.loads(json_repair.repair_json(text))
        return float(res["score"])
    except Exception:  # the reference catches everything and retries
        return None


def main():
    rows = [{"reply": r, "score": reference(r)} for r in REPLIES]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "goldens", "judge_replies.json")
    with open(out, "w") as f:
        json.dump({"_source": "make_judge_parser_goldens.py, json_repair " + getattr(json_repair, "__version__", "0.47.3"),
                   "replies": rows}, f, indent=1)
    for r in rows:
        print(repr(r["reply"][:50]), r["score"])


if __name__ == "__main__":
    main()
