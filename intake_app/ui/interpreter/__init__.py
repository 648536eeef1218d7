"""The interpreter window: the current question in the newcomer's language, on a second screen."""
