package io.github.argrpo.rewards.judge;

/**
 * One successful (HTTP 200) answer of a chat-completions server.
 *
 * @param content {@code choices[0].message.content}, or null when the body is not a chat completion
 *     (then the reply counts as unreadable)
 * @param body the raw response body, for error messages
 */
public record ChatReply(String content, String body) {

  /** An excerpt of the content, or of the body when there is no content, for log and error messages. */
  public String excerpt() {
    String s = content != null ? content : "(no choices[0].message.content) " + body;
    s = s.replace('\n', ' ');
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}
