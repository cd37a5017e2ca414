"""Money after the decision: budgets per programme and year, payouts committed from them, and
payment batches the district finance bureau (区财政局) pays and confirms.

Each paying service keeps its own ledger (its tables mix in `tables.py`, its repository mixes in
`queries.FinanceQueries`, its nameko class mixes in `service.Payments`), so an approval commits
from its envelope in its own transaction and no service calls another to decide. What is the
same for every ledger lives here: the rules (`rules.py`), the handlers (`ledger.py`), the
contract and the `payment.*` events. Bank details are not here: the gateway holds them with
the account and adds them only to a batch's export.
"""
