"""The strict base of every parameter model: a key the model does not know is an error."""

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A parameter model that rejects unknown keys (a misspelt key is never ignored)."""

    model_config = ConfigDict(extra="forbid")
