"""The two turns of a chat template that MedPO writes: the user's turn with one image and the
question (then the start of the answer), and what the template writes after an answer."""

from __future__ import annotations


def chat_prompt(processor, question: str) -> str:
    """The chat template's user turn with one image and the question, then the answer's start."""
    content = [{"type": "image"}, {"type": "text", "text": question}]
    messages = [{"role": "user", "content": content}]
    return processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)


def answer_suffix(processor) -> str:
    """What the chat template writes after an answer (e.g. '<|im_end|>'); it is scored too."""
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "q"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "@@"}]},
    ]
    full = processor.apply_chat_template(messages, tokenize=False)
    return full[full.rindex("@@") + 2 :].strip() or processor.tokenizer.eos_token
