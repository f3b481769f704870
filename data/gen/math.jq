# math: a word problem with reasoning steps, each with an equation, and a numeric answer with units
{
  messages: [
    {role: "system",
     content: "You write grade-school math word problems with worked solutions."},
    {role: "user",
     content: "Write one math word problem set in the domain of \(.domain // "the text below"), solvable in 2 to 5 steps. Give the question, the reasoning as a list of steps where every step contains an equation with \"=\", the numeric answer with its units, the difficulty (easy, medium or hard) and the domain. Reply with a JSON object with the fields \"question\", \"reasoning\", \"answer\", \"difficulty\" and \"domain\".\(if .text then "\n\nText:\n\(.text)" else "" end)"}
  ],
  schema: {
    type: "object",
    properties: {
      question: {type: "string", minLength: 1},
      reasoning: {type: "array", items: {type: "string", minLength: 3},
                  minItems: 1, maxItems: 8},
      answer: {type: "string", minLength: 1},
      difficulty: {type: "string", enum: ["easy", "medium", "hard"]},
      domain: {type: "string"}
    },
    required: ["question", "reasoning", "answer", "difficulty", "domain"],
    additionalProperties: false
  }
}
