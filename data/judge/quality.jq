# df-judge --judge quality: overall quality of a text as language-model
# training data, 1 to 10.  Input: the record with its .scores;
# judge_text is the text df-judge scores (--field).  Output: the messages.
[
  {role: "system",
   content: "You rate texts as training data for a language model. You are strict, consistent and brief. Judge the text itself, not its topic; ignore its length unless it is too short to be useful."},
  {role: "user",
   content: ("Rate the quality of the text below on a scale of 1 to 10, where 1 is spam, boilerplate, gibberish or broken markup, 5 is readable but shallow or partly noisy, and 10 is clear, correct, well-written and informative prose.\n\nReply with a JSON object {\"score\": <integer 1-10>, \"reason\": \"<one sentence>\"}. If you cannot reply in JSON, end your reply with the line: Rating: [[<score>]]\n\nText:\n\"\"\"\n" + (judge_text | .[0:12000]) + "\n\"\"\"")}
]
