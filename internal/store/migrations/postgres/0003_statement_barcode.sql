-- 0003: find an issued statement by the text of its 2D-Doc (public verification).
CREATE INDEX statements_barcode ON statements(barcode);
