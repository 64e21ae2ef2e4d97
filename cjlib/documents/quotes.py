"""What the statutory guidance and Community Justice Scotland say a plan and a report contain.

Quoted exactly from the published text, with its paragraph or section.
"""

from __future__ import annotations

#: Guidance for Local Partners in the New Model for Community Justice, Part 6.
GUIDANCE = "Guidance for Local Partners in the New Model for Community Justice, Part 6"
#: Community Justice Scotland, Achieving Community Justice Outcomes (June 2024).
ACHIEVING = "Community Justice Scotland, Achieving Community Justice Outcomes (June 2024)"

#: What a plan says about each national outcome (Achieving Community Justice Outcomes, section 6).
PLAN_REQUIREMENTS = (
    "make an assessment as to whether each national outcome is being achieved in the area",
    "state how near the outcome is to being achieved (if it has been assessed as not achieved)",
    "decide whether the outcome requires to be a priority for action",
    "set out the action they intend to take to meet or maintain the outcome",
    "use the national indicators in their assessment.",
)
#: What an annual report says about each national outcome (same section).
REPORT_REQUIREMENTS = (
    "the activity they have taken in the period concerned to achieve the outcome",
    "whether, at the end of the period concerned, the outcome was being achieved in the area",
    "the progress in the period concerned towards its achievement (if the outcome has not "
    "been achieved)",
    "the national indicators partners have used in their assessment.",
)
#: Paragraph 6.5: indicators not used.
NOT_USED = ("Where a common indicator is not used, partners must outline why.", f"{GUIDANCE}, 6.5")
#: Paragraph 6.4: priority actions from the strategy and the partners to carry them out.
ACTIONS = (
    "Once priority outcomes have been selected, partners should consult the National Strategy "
    "to help determine which improvement actions they will carry out to improve these "
    "outcomes, and which partners are best placed to carry out these actions - either "
    "individually or in partnership.",
    f"{GUIDANCE}, 6.4",
)

#: The plan-level sections: parameter key, heading, what the guidance says, where.
PLAN_SECTIONS = (
    (
        "loip",
        "Link to the Local Outcomes Improvement Plan",
        "It should also refer to the relevant Local Outcomes Improvement Plan for the local "
        "authority area required under the Community Empowerment (Scotland) Act 2015, part 2 "
        "Community Planning.",
        f"{GUIDANCE}, 6.18",
    ),
    (
        "participation_statement",
        "Participation statement",
        "The statement must set out the action taken by the statutory partners to achieve the "
        "participation of third sector bodies and community bodies involved in community "
        "justice for the local authority area in the preparation of the plan.",
        f"{GUIDANCE}, 6.22",
    ),
    (
        "equalities",
        "Equalities impact assessment",
        "To comply with relevant equalities and human rights legislation, an equalities impact "
        "assessment must be part of the process for the plan's development.",
        f"{GUIDANCE}, 6.44",
    ),
    (
        "consultation",
        "Consultation with Community Justice Scotland",
        "Statutory partners must also consult with Community Justice Scotland as well as any "
        "other local partners and stakeholders as appropriate. How this consultation takes "
        "place will be determined by the statutory partners and should be indicated in the plan.",
        f"{GUIDANCE}, 6.21",
    ),
    (
        "governance",
        "Governance",
        "Governance and any other arrangements to support this collaborative working should be "
        "agreed by the statutory partners at a local level.",
        f"{GUIDANCE}, 6.8",
    ),
)
