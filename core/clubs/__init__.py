"""Running clubs: their chats, challenges, each member's figures and the boards they read.

- `chats`: the group chats and server channels a club runs in, and linking them;
- `challenges`: create, join, leave, end; standings; the scheduler's feeds;
- `figures`: the counting rules for a member's figure, in SQL; `totals`: those figures stored
  and kept current; `ranking`: metrics, ranking with ties, how figures read;
- `replies` and `board_image`: what members read (text and PNG); `announcements`: results
  and weekly standings posted to a club's channels; `moderation`: admins keeping boards honest.
"""
