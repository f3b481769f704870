# qa: one question a student would ask about the text, and its answer
{
  messages: [
    {role: "system",
     content: "You write study questions. Use only facts stated in the text you are given."},
    {role: "user",
     content: "Write one question a student would ask about the text below, and its answer, using only the text. Reply with a JSON object with the fields \"question\" and \"answer\".\n\nText:\n\(.text)"}
  ],
  schema: {
    type: "object",
    properties: {question: {type: "string", minLength: 1},
                 answer: {type: "string", minLength: 1}},
    required: ["question", "answer"],
    additionalProperties: false
  }
}
