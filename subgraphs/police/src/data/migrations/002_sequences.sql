-- Ids for records made through the graph, above the range the synthetic seed uses.
CREATE SEQUENCE criminal_decision_number START 5000001;
CREATE SEQUENCE referral_number START 5000001;
