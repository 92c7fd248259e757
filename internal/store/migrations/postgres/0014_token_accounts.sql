-- Issue 10, finding 6: a photographer's API token belongs to an account,
-- whose approval number its captures carry. Tokens of other roles, and
-- tokens made before this rule, belong to none (a photographer's then
-- issues nothing until replaced).
ALTER TABLE api_tokens ADD COLUMN user_id BIGINT REFERENCES users(id);
