/** The 19 standard e-commerce event names of Zaraz (and Segment's two promotion spellings). */
export type EcommerceEventName =
  | 'Product List Viewed'
  | 'Products Searched'
  | 'Product Clicked'
  | 'Product Added'
  | 'Product Added to Wishlist'
  | 'Product Removed'
  | 'Product Viewed'
  | 'Cart Viewed'
  | 'Checkout Started'
  | 'Checkout Step Viewed'
  | 'Checkout Step Completed'
  | 'Payment Info Entered'
  | 'Order Completed'
  | 'Order Updated'
  | 'Order Refunded'
  | 'Order Cancelled'
  | 'Clicked Promotion'
  | 'Viewed Promotion'
  | 'Shipping Info Entered'
  | 'Promotion Clicked'
  | 'Promotion Viewed'

/** A product as the standard e-commerce parameters describe it. */
export interface EcommerceProduct {
  product_id?: string
  sku?: string
  category?: string
  name?: string
  brand?: string
  variant?: string
  coupon?: string
  price?: number
  quantity?: number
  position?: number
  [custom: string]: unknown
}

/** The standard e-commerce parameters; other keys pass through. */
export interface EcommerceParams extends EcommerceProduct {
  checkout_id?: string
  order_id?: string
  affiliation?: string
  currency?: string
  creative?: string
  query?: string
  payment_type?: string
  /** Total with discounts. */
  total?: number
  /** Revenue without shipping and tax. */
  revenue?: number
  shipping?: number
  tax?: number
  discount?: number
  value?: number
  step?: number
  products?: EcommerceProduct[]
}
