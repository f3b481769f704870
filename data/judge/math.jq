# df-judge --judge math: correctness and clarity of a worked math problem,
# 1 to 10.  Reads .question, .reasoning (a list of steps or a string) and
# .answer when the record has them (df-gen's math records), else the text.
def steps: if type == "array" then to_entries | map("\(.key + 1). \(.value)") | join("\n") else tostring end;
[
  {role: "system",
   content: "You check worked math problems. You recompute every step yourself before you judge."},
  {role: "user",
   content: ("Judge the worked problem below. Recompute each step. Score it from 1 to 10: 1 to 3 if the final answer is wrong or a step is wrong, 4 to 6 if the answer is right but a step is unjustified, unclear or missing units, 7 to 10 if every step is correct and clear, the higher the clearer.\n\n"
     + (if (.question? // null) != null then
          "Problem: \(.question)\n\nSolution:\n\(.reasoning | steps)\n\nFinal answer: \(.answer // "(none)")"
        else judge_text | .[0:12000] end)
     + "\n\nReply with a JSON object {\"score\": <integer 1-10>, \"reason\": \"<the first wrong step, or why it is right>\"}. If you cannot reply in JSON, end with the line: Score: <score>")}
]
